"""Drives minato's CloudWatch API with boto3 over one protocol and prints what it saw as JSON.

Usage: botocore_scenario.py <endpoint> <protocol> <scratch-dir>

<protocol> is `default` (what this botocore picks from the model's list), or one of the model's
protocols (`json`, `query`, `smithy-rpc-v2-cbor`): botocore is then given a copy of its own
CloudWatch model that lists only that protocol, so its real serializers and parsers for it run.
"""
import datetime
import json
import os
import sys

endpoint, protocol, scratch = sys.argv[1:4]

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

sent = []


def record(request, **_):
    headers = {k.lower(): (v.decode() if isinstance(v, bytes) else v) for k, v in request.headers.items()}
    body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
    sent.append({"url": request.url, "target": headers.get("x-amz-target"), "smithy": headers.get("smithy-protocol"),
                 "contentType": headers.get("content-type"), "action": b"Action=" in body or headers.get("content-encoding") == "gzip",
                 "encoding": headers.get("content-encoding")})


cw.meta.events.register("before-send.cloudwatch", record)

now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
t0 = now - datetime.timedelta(minutes=30)
ns = "Boto/" + protocol
dims = [{"Name": "Service", "Value": "web"}]
out = {"protocol": cw.meta.service_model.resolved_protocol}

cw.put_metric_data(Namespace=ns, MetricData=[
    {"MetricName": "Latency", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(seconds=5), "Value": 10, "Unit": "Milliseconds"},
    {"MetricName": "Latency", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(seconds=20),
     "Values": [20, 30, 1000], "Counts": [1, 2, 1], "Unit": "Milliseconds"},
    {"MetricName": "Requests", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(seconds=30),
     "StatisticValues": {"SampleCount": 4, "Sum": 40, "Minimum": 5, "Maximum": 15}, "Unit": "Count"},
    {"MetricName": "Requests", "Dimensions": dims, "Timestamp": t0 + datetime.timedelta(minutes=1, seconds=1), "Value": 8, "Unit": "Count"},
    {"MetricName": "HighRes", "Timestamp": t0 + datetime.timedelta(seconds=2), "Value": 1, "StorageResolution": 1},
    {"MetricName": "HighRes", "Timestamp": t0 + datetime.timedelta(seconds=7), "Value": 3, "StorageResolution": 1},
])

# Large enough (over botocore's 10 KiB threshold) to be sent gzipped.
cw.put_metric_data(Namespace=ns + "/big", MetricData=[
    {"MetricName": "Big%03d" % i, "Dimensions": [{"Name": "Padding", "Value": "x" * 60}], "Value": i} for i in range(300)
])
big = cw.list_metrics(Namespace=ns + "/big")
out["compressed"] = {"encodings": sorted({s["encoding"] for s in sent if s["encoding"]}), "listed": len(big["Metrics"])}

stats = cw.get_metric_statistics(Namespace=ns, MetricName="Latency", Dimensions=dims, StartTime=t0,
                                 EndTime=t0 + datetime.timedelta(minutes=5), Period=60,
                                 Statistics=["SampleCount", "Average", "Minimum", "Maximum", "Sum"])
out["statistics"] = [{**{k: v for k, v in p.items() if k != "Timestamp"}, "Timestamp": p["Timestamp"].isoformat()}
                     for p in stats["Datapoints"]]
pct = cw.get_metric_statistics(Namespace=ns, MetricName="Latency", Dimensions=dims, StartTime=t0,
                               EndTime=t0 + datetime.timedelta(minutes=5), Period=300, ExtendedStatistics=["p50", "p99"])
out["percentiles"] = [p["ExtendedStatistics"] for p in pct["Datapoints"]]
hires = cw.get_metric_statistics(Namespace=ns, MetricName="HighRes", StartTime=t0,
                                 EndTime=t0 + datetime.timedelta(seconds=10), Period=5, Statistics=["Sum"])
out["highResolution"] = sorted(p["Sum"] for p in hires["Datapoints"])

listed = cw.list_metrics(Namespace=ns, Dimensions=[{"Name": "Service"}])
out["listed"] = sorted(m["MetricName"] for m in listed["Metrics"])

data = cw.get_metric_data(StartTime=t0, EndTime=t0 + datetime.timedelta(minutes=2), ScanBy="TimestampAscending", MetricDataQueries=[
    {"Id": "req", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Requests", "Dimensions": dims}, "Period": 60, "Stat": "Sum"}},
    {"Id": "lat", "MetricStat": {"Metric": {"Namespace": ns, "MetricName": "Latency", "Dimensions": dims}, "Period": 60, "Stat": "Maximum"},
     "ReturnData": False},
    {"Id": "ratio", "Expression": "FILL(lat, 0) / req", "Label": "ratio"},
])
out["metricData"] = [{"Id": r["Id"], "Label": r["Label"], "StatusCode": r["StatusCode"], "Values": r["Values"],
                      "Timestamps": [t.isoformat() for t in r["Timestamps"]]} for r in data["MetricDataResults"]]

try:
    cw.put_metric_data(Namespace=ns, MetricData=[{"MetricName": "Bad", "Value": 1, "StorageResolution": 7}])
    out["invalid"] = "accepted"
except cw.exceptions.InvalidParameterValueException as e:
    out["invalid"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

try:
    cw.get_metric_statistics(Namespace=ns, MetricName="Latency", StartTime=now - datetime.timedelta(days=2), EndTime=now,
                             Period=60, Statistics=["Sum"])
    out["tooMany"] = "accepted"
except cw.exceptions.InvalidParameterCombinationException as e:
    out["tooMany"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

try:
    cw.list_dashboards()
    out["refused"] = "accepted"
except cw.exceptions.ClientError as e:
    out["refused"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

out["sent"] = sent
print(json.dumps(out))
