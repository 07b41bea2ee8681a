import { describe, expect, it } from 'vitest';
import { loadServiceModel } from '../aws-model/service-model.js';
import { AwsError } from './aws-error.js';
import { decodeEc2Input, ec2ErrorXml, ec2ResponseXml } from './ec2-protocol.js';
import type { AwsService } from './service.js';

const model = loadServiceModel('ec2');
const service = { signingName: 'ec2', model } as AwsService;

// The bodies below are what botocore 1.43.11's EC2 serializer writes for these inputs.
describe('EC2 protocol input', () => {
  it('reads flattened lists named by locationName (Filter.N.Value.M, SubnetId.N)', () => {
    const body =
      'Action=DescribeSubnets&Version=2016-11-15&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-1&Filter.1.Value.2=vpc-2' +
      '&Filter.2.Name=tag%3AName&Filter.2.Value.1=web&SubnetId.1=subnet-1&MaxResults=5';
    expect(decodeEc2Input(model, 'DescribeSubnets', new URLSearchParams(body))).toEqual({
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-1', 'vpc-2'] },
        { Name: 'tag:Name', Values: ['web'] },
      ],
      SubnetIds: ['subnet-1'],
      MaxResults: 5,
    });
  });

  it('reads nested structures and the Groups/TagSpecification names of members', () => {
    const body =
      'Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&GroupId=sg-1&IpPermissions.1.IpProtocol=tcp&IpPermissions.1.FromPort=80' +
      '&IpPermissions.1.ToPort=80&IpPermissions.1.IpRanges.1.CidrIp=0.0.0.0%2F0&IpPermissions.1.IpRanges.1.Description=web' +
      '&IpPermissions.1.Groups.1.GroupId=sg-2&TagSpecification.1.ResourceType=security-group-rule&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=v';
    expect(decodeEc2Input(model, 'AuthorizeSecurityGroupIngress', new URLSearchParams(body))).toEqual({
      GroupId: 'sg-1',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'web' }], UserIdGroupPairs: [{ GroupId: 'sg-2' }] }],
      TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: [{ Key: 'k', Value: 'v' }] }],
    });
  });

  it('reads booleans and lower-case locationNames', () => {
    expect(decodeEc2Input(model, 'ModifyVpcAttribute', new URLSearchParams('Action=ModifyVpcAttribute&VpcId=vpc-1&EnableDnsHostnames.Value=true'))).toEqual({
      VpcId: 'vpc-1',
      EnableDnsHostnames: { Value: true },
    });
    expect(decodeEc2Input(model, 'DeleteTags', new URLSearchParams('Action=DeleteTags&ResourceId.1=vpc-1&Tag.1.Key=Name&Tag.1.Value=x&DryRun=false'))).toEqual({
      Resources: ['vpc-1'],
      Tags: [{ Key: 'Name', Value: 'x' }],
      DryRun: false,
    });
  });

  it('keeps a value that does not read as its type as text, for validation to refuse', () => {
    expect(decodeEc2Input(model, 'DescribeVpcs', new URLSearchParams('MaxResults=many'))).toEqual({ MaxResults: 'many' });
  });
});

describe('EC2 protocol output', () => {
  it('writes members by locationName, lists as <item>, the requestId first and no Result wrapper', () => {
    const xml = ec2ResponseXml(service, 'DescribeVpcs', { Vpcs: [{ VpcId: 'vpc-1', IsDefault: true, Tags: [{ Key: 'Name', Value: 'a&b' }] }] }, 'req-1');
    expect(xml).toBe(
      '<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1</requestId>' +
        '<vpcSet><item><isDefault>true</isDefault><tagSet><item><key>Name</key><value>a&amp;b</value></item></tagSet><vpcId>vpc-1</vpcId></item></vpcSet>' +
        '</DescribeVpcsResponse>',
    );
  });

  it('answers <return>true</return> for an operation without output', () => {
    expect(ec2ResponseXml(service, 'DeleteVpc', {}, 'req-2')).toBe(
      '<DeleteVpcResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-2</requestId><return>true</return></DeleteVpcResponse>',
    );
  });

  it('writes errors as <Response><Errors><Error> with RequestID', () => {
    expect(ec2ErrorXml(new AwsError('InvalidVpcID.NotFound', "The vpc ID 'vpc-1' does not exist"), 'req-3')).toBe(
      "<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID &apos;vpc-1&apos; does not exist</Message></Error></Errors><RequestID>req-3</RequestID></Response>",
    );
  });
});
