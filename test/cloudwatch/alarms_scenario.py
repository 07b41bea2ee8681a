"""Drives minato's CloudWatch alarms with boto3 over one protocol and prints what it saw as JSON.

Usage: alarms_scenario.py <endpoint> <protocol> <scratch-dir> <phase>

<protocol> is as in botocore_scenario.py. <phase> is `put` (create alarms, publish breaching
data) or `check` (after the test ran an evaluation round: describe states and history).
"""
import datetime
import json
import os
import sys

endpoint, protocol, scratch, phase = sys.argv[1:5]

if protocol != "default":
    from botocore.loaders import Loader

    model = Loader().load_service_model("cloudwatch", "service-2")
    model["metadata"]["protocol"] = protocol
    model["metadata"]["protocols"] = [protocol]
    target = os.path.join(scratch, "cloudwatch", "2010-08-01")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "service-2.json"), "w") as f:
        json.dump(model, f)
    os.environ["AWS_DATA_PATH"] = scratch

import boto3  # noqa: E402  (after AWS_DATA_PATH is set)
from botocore.config import Config  # noqa: E402

session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
cw = session.client("cloudwatch", endpoint_url=endpoint, config=Config(retries={"max_attempts": 1}))
ns = "BotoAlarms/" + protocol
name = "queue-deep-" + protocol
out = {"protocol": cw.meta.service_model.resolved_protocol}

if phase == "put":
    base = datetime.datetime.fromtimestamp(int(sys.argv[5]) / 1000, datetime.timezone.utc)
    cw.put_metric_alarm(AlarmName=name, Namespace=ns, MetricName="Depth", Statistic="Maximum", Period=60,
                        EvaluationPeriods=2, Threshold=100, ComparisonOperator="GreaterThanThreshold",
                        TreatMissingData="breaching", OKActions=["arn:aws:sns:us-east-1:000000000000:ok"],
                        Tags=[{"Key": "app", "Value": "queue"}])
    cw.get_waiter("alarm_exists").wait(AlarmNames=[name], WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    cw.put_composite_alarm(AlarmName=name + "-composite", AlarmRule='ALARM("%s")' % name)
    cw.put_metric_data(Namespace=ns, MetricData=[
        {"MetricName": "Depth", "Timestamp": base + datetime.timedelta(seconds=1), "Value": 150},
    ])
    try:
        cw.put_metric_alarm(AlarmName=name + "-bad", Namespace=ns, MetricName="Depth", Statistic="Maximum", Period=60,
                            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
                            TreatMissingData="sometimes")
        out["invalid"] = "accepted"
    except cw.exceptions.ClientError as e:
        out["invalid"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}
    out["stored"] = len(cw.describe_alarms(AlarmNamePrefix=name + "-bad")["MetricAlarms"])
else:
    alarms = cw.describe_alarms(AlarmNames=[name, name + "-composite"], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    metric = alarms["MetricAlarms"][0]
    out["metric"] = {k: metric[k] for k in ("StateValue", "StateReason", "TreatMissingData", "EvaluationPeriods")}
    out["timestamps"] = [type(metric[k]).__name__ for k in ("StateUpdatedTimestamp", "AlarmConfigurationUpdatedTimestamp")]
    out["composite"] = alarms["CompositeAlarms"][0]["StateValue"]
    history = cw.describe_alarm_history(AlarmName=name, ScanBy="TimestampAscending")["AlarmHistoryItems"]
    out["history"] = [[h["HistoryItemType"], h["HistorySummary"]] for h in history]
    arn = metric["AlarmArn"]
    out["tags"] = cw.list_tags_for_resource(ResourceARN=arn)["Tags"]
    cw.delete_alarms(AlarmNames=[name + "-composite", name])
    out["left"] = len(cw.describe_alarms(AlarmNamePrefix=name, AlarmTypes=["MetricAlarm", "CompositeAlarm"])["MetricAlarms"])

print(json.dumps(out))
