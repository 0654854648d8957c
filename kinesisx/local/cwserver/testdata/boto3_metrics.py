"""Reads the local endpoint's CloudWatch with boto3's default protocol.

Run by clients_test.go with AWS_ENDPOINT_URL set; prints one JSON object:
the protocol botocore chose, GetMetricStatistics (Sum, SampleCount,
Maximum), GetMetricData and ListMetrics for the stream in $STREAM, and the
error code of an operation the endpoint does not serve.
"""
import datetime
import json
import os

import boto3
import botocore.exceptions

stream = os.environ["STREAM"]
start = datetime.datetime.fromtimestamp(int(os.environ["START"]), datetime.timezone.utc)
end = datetime.datetime.fromtimestamp(int(os.environ["END"]), datetime.timezone.utc)
cw = boto3.client("cloudwatch", region_name="us-east-1")
dims = [{"Name": "StreamName", "Value": stream}]

stats = cw.get_metric_statistics(Namespace="AWS/Kinesis", MetricName="IncomingRecords", Dimensions=dims,
                                 StartTime=start, EndTime=end, Period=60,
                                 Statistics=["Sum", "SampleCount", "Maximum"])
gmd = cw.get_metric_data(StartTime=start, EndTime=end, MetricDataQueries=[{
    "Id": "r", "MetricStat": {"Metric": {"Namespace": "AWS/Kinesis", "MetricName": "IncomingBytes", "Dimensions": dims},
                              "Period": 60, "Stat": "Sum"}}])
listed = cw.list_metrics(Namespace="AWS/Kinesis", Dimensions=[{"Name": "StreamName", "Value": stream}])
try:
    cw.put_metric_data(Namespace="X", MetricData=[{"MetricName": "m", "Value": 1}])
    unsupported = ""
except botocore.exceptions.ClientError as e:
    unsupported = e.response["Error"]["Code"]
try:
    cw.get_metric_statistics(Namespace="AWS/Kinesis", MetricName="IncomingRecords", Dimensions=dims,
                             StartTime=start, EndTime=end, Period=7, Statistics=["Sum"])
    bad_period = ""
except botocore.exceptions.ClientError as e:
    bad_period = e.response["Error"]["Code"]

print(json.dumps({
    "protocol": cw.meta.service_model.resolved_protocol if hasattr(cw.meta.service_model, "resolved_protocol") else cw.meta.service_model.protocol,
    "stats": [{"Sum": d["Sum"], "SampleCount": d["SampleCount"], "Maximum": d["Maximum"], "Unit": d["Unit"]} for d in stats["Datapoints"]],
    "gmd": gmd["MetricDataResults"][0]["Values"],
    "metrics": sorted(m["MetricName"] + "/" + ",".join(d["Name"] for d in m["Dimensions"]) for m in listed["Metrics"]),
    "unsupported": unsupported,
    "badPeriod": bad_period,
}))
