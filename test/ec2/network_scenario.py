"""Builds a Fargate-style network with boto3 against minato's EC2 API and prints what it saw as JSON.

Usage: network_scenario.py <endpoint>
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
ec2 = session.client("ec2", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
out = {}


def error(call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None


def name_tag(name):
    return {"Key": "Name", "Value": name}


# The default VPC, its subnets, the zones and the account's attributes.
default_vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
out["defaultVpc"] = [{"cidr": v["CidrBlock"], "id": v["VpcId"]} for v in default_vpc]
default_subnets = ec2.get_paginator("describe_subnets").paginate(
    Filters=[{"Name": "vpc-id", "Values": [default_vpc[0]["VpcId"]]}, {"Name": "default-for-az", "Values": ["true"]}],
    PaginationConfig={"PageSize": 5}).build_full_result()["Subnets"]
out["defaultSubnets"] = sorted([{"id": s["SubnetId"], "zone": s["AvailabilityZone"], "cidr": s["CidrBlock"]} for s in default_subnets], key=lambda s: s["zone"])
out["zones"] = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
attributes = ec2.describe_account_attributes(AttributeNames=["default-vpc", "supported-platforms"])["AccountAttributes"]
out["attributes"] = {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]] for a in attributes}

# A VPC of its own; bad blocks are refused and store nothing.
vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[{"ResourceType": "vpc", "Tags": [name_tag("app")]}])["Vpc"]
vpc_id = vpc["VpcId"]
out["vpcId"] = vpc_id
out["vpcErrors"] = [error(ec2.create_vpc, CidrBlock=c) for c in ["10.0.0.0/8", "10.0.0.1/16", "10.0.0.0/29", "nonsense"]]
out["vpcCount"] = len(ec2.describe_vpcs()["Vpcs"])
ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
out["dns"] = [ec2.describe_vpc_attribute(VpcId=vpc_id, Attribute=a)[k]["Value"]
              for a, k in [("enableDnsSupport", "EnableDnsSupport"), ("enableDnsHostnames", "EnableDnsHostnames")]]
out["byTag"] = [v["VpcId"] for v in ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["ap*"]}])["Vpcs"]]

# Two subnets in two zones, and the blocks EC2 refuses.
subnets = [ec2.create_subnet(VpcId=vpc_id, CidrBlock=c, AvailabilityZone=z,
                             TagSpecifications=[{"ResourceType": "subnet", "Tags": [name_tag("private-" + z[-1])]}])["Subnet"]
           for c, z in [("10.0.1.0/24", "us-east-1a"), ("10.0.2.0/24", "us-east-1b")]]
out["subnets"] = [{"id": s["SubnetId"], "zone": s["AvailabilityZone"], "free": s["AvailableIpAddressCount"]} for s in subnets]
out["subnetErrors"] = [
    error(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.1.0.0/24"),
    error(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.1.128/25"),
    error(ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.0.3.0/24", AvailabilityZone="us-east-1z"),
    error(ec2.create_subnet, VpcId="vpc-0123456789abcdef0", CidrBlock="10.0.3.0/24"),
]
out["subnetsInVpc"] = sorted(s["CidrBlock"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"])
out["subnetByTag"] = [s["CidrBlock"] for s in ec2.describe_subnets(Filters=[{"Name": "tag:Name", "Values": ["private-b"]}])["Subnets"]]
ec2.modify_subnet_attribute(SubnetId=subnets[0]["SubnetId"], MapPublicIpOnLaunch={"Value": True})
out["public"] = ec2.describe_subnets(SubnetIds=[subnets[0]["SubnetId"]])["Subnets"][0]["MapPublicIpOnLaunch"]

# A security group with rules; duplicates are refused.
sg = ec2.create_security_group(GroupName="web", Description="web tier", VpcId=vpc_id)["GroupId"]
out["sgErrors"] = [
    error(ec2.create_security_group, GroupName="web", Description="again", VpcId=vpc_id),
    error(ec2.create_security_group, GroupName="default", Description="reserved", VpcId=vpc_id),
]
rules = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
    {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "http"}]},
    {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "UserIdGroupPairs": [{"GroupId": sg}]},
])["SecurityGroupRules"]
out["ruleIds"] = len([r for r in rules if r["SecurityGroupRuleId"].startswith("sgr-")])
out["permissionErrors"] = [
    error(ec2.authorize_security_group_ingress, GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
    error(ec2.authorize_security_group_ingress, GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 90, "ToPort": 80, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
    error(ec2.authorize_security_group_ingress, GroupId="sg-0123456789abcdef0", IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
    error(ec2.revoke_security_group_ingress, GroupId=sg, IpPermissions=[{"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]),
]
ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
group = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["web"]}, {"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"][0]
out["ingress"] = sorted([(p["IpProtocol"], p["FromPort"], [r["CidrIp"] for r in p["IpRanges"]], [g["GroupId"] == sg for g in p["UserIdGroupPairs"]]) for p in group["IpPermissions"]])
out["egress"] = [(p["IpProtocol"], p.get("FromPort"), [r["CidrIp"] for r in p["IpRanges"]]) for p in group["IpPermissionsEgress"]]
out["ruleCount"] = len(ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"])
default_sg = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}, {"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"][0]
out["defaultSg"] = {"ingressFromSelf": default_sg["IpPermissions"][0]["UserIdGroupPairs"][0]["GroupId"] == default_sg["GroupId"],
                    "egress": default_sg["IpPermissionsEgress"][0]["IpRanges"][0]["CidrIp"]}

# An internet gateway and a public route table.
igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
out["igwAttached"] = [g["InternetGatewayId"] == igw for g in ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]]
rtb = ec2.create_route_table(VpcId=vpc_id)["RouteTable"]["RouteTableId"]
ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
out["routeErrors"] = [
    error(ec2.create_route, RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw),
    error(ec2.attach_internet_gateway, InternetGatewayId=igw, VpcId=vpc_id),
    error(ec2.delete_internet_gateway, InternetGatewayId=igw),
]
assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=subnets[0]["SubnetId"])["AssociationId"]
table = ec2.describe_route_tables(Filters=[{"Name": "association.subnet-id", "Values": [subnets[0]["SubnetId"]]}])["RouteTables"][0]
out["routes"] = sorted((r["DestinationCidrBlock"], r["GatewayId"]) for r in table["Routes"])
main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "association.main", "Values": ["true"]}])["RouteTables"]
out["main"] = [(t["RouteTableId"] != rtb, [r["GatewayId"] for r in t["Routes"]]) for t in main]
out["acl"] = [(a["IsDefault"], len(a["Associations"])) for a in ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "default", "Values": ["true"]}])["NetworkAcls"]]

# CreateRouteTable's ClientToken (boto3 fills a fresh one in on every call): a retry with the same
# token gets the first table, listed once; the same token with other parameters is refused.
in_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
tables_before = len(ec2.describe_route_tables(Filters=in_vpc)["RouteTables"])
first = ec2.create_route_table(VpcId=vpc_id, ClientToken="retry-7f3a")
again = ec2.create_route_table(VpcId=vpc_id, ClientToken="retry-7f3a")
listed = [t["RouteTableId"] for t in ec2.describe_route_tables(Filters=in_vpc)["RouteTables"]]
out["retried"] = [first["RouteTable"]["RouteTableId"] == again["RouteTable"]["RouteTableId"], again.get("ClientToken"),
                  len(listed) - tables_before, listed.count(first["RouteTable"]["RouteTableId"])]
out["retryErrors"] = [
    error(ec2.create_route_table, VpcId=default_vpc[0]["VpcId"], ClientToken="retry-7f3a"),
    error(ec2.create_route_table, VpcId=vpc_id, ClientToken="retry-7f3a",
          TagSpecifications=[{"ResourceType": "route-table", "Tags": [name_tag("other")]}]),
]
ec2.delete_route_table(RouteTableId=first["RouteTable"]["RouteTableId"])

# Tags, dry runs, and what a full VPC refuses.
ec2.create_tags(Resources=[sg, igw], Tags=[{"Key": "team", "Value": "blue"}])
out["tags"] = sorted((t["ResourceType"], t["Key"]) for t in ec2.describe_tags(Filters=[{"Name": "key", "Values": ["team"]}])["Tags"])
ec2.delete_tags(Resources=[igw], Tags=[{"Key": "team"}])
out["tagsLeft"] = [t["ResourceId"] == sg for t in ec2.describe_tags(Filters=[{"Name": "key", "Values": ["team"]}])["Tags"]]
out["otherErrors"] = [
    error(ec2.create_tags, Resources=["vpc-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}]),
    error(ec2.describe_vpcs, DryRun=True),
    error(ec2.delete_vpc, VpcId=vpc_id),
    error(ec2.delete_security_group, GroupId=default_sg["GroupId"]),
    error(ec2.describe_subnets, Filters=[{"Name": "colour", "Values": ["red"]}]),
]

# Everything taken down in order; the VPC is then gone.
ec2.disassociate_route_table(AssociationId=assoc)
ec2.delete_route_table(RouteTableId=rtb)
ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
ec2.delete_internet_gateway(InternetGatewayId=igw)
ec2.delete_security_group(GroupId=sg)
for s in subnets:
    ec2.delete_subnet(SubnetId=s["SubnetId"])
ec2.delete_vpc(VpcId=vpc_id)
out["afterDelete"] = [error(ec2.describe_vpcs, VpcIds=[vpc_id]), len(ec2.describe_vpcs()["Vpcs"]),
                      len(ec2.describe_security_groups()["SecurityGroups"]), len(ec2.describe_route_tables()["RouteTables"])]
print(json.dumps(out))
