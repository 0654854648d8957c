"""Drives every operation of botocore's Kinesis model against an endpoint.

Usage: python3 boto3_all_operations.py ENDPOINT_URL
Each operation is called once (or more) with valid arguments through boto3,
which parses the answer against the model's output shape; the script checks
the fields that matter and that every operation of the model was called.
It prints "ok N" (N operations) when every check held.
"""
import sys
import time

import boto3
from botocore.config import Config

k = boto3.client("kinesis", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="test", aws_secret_access_key="test",
                 config=Config(retries={"max_attempts": 1}))
model_ops = set(k.meta.service_model.operation_names)
called = set()
method_of = {api: method for method, api in k.meta.method_to_api_mapping.items()}


def call(op, **kw):
    """Calls op (the model's name) and returns its parsed answer."""
    called.add(op)
    out = getattr(k, method_of[op])(**kw)
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200, (op, out)
    return out


def summary(name):
    return call("DescribeStreamSummary", StreamName=name)["StreamDescriptionSummary"]


def wait_active(name):
    for _ in range(200):
        if summary(name)["StreamStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise AssertionError(name + " never became ACTIVE")


name = "allops"
call("CreateStream", StreamName=name, ShardCount=2)
wait_active(name)
arn = summary(name)["StreamARN"]
assert call("ListStreams")["StreamNames"] == [name]
shards = call("ListShards", StreamARN=arn)["Shards"]
assert len(shards) == 2
assert call("DescribeStream", StreamARN=arn)["StreamDescription"]["EncryptionType"] == "NONE"

# Records.
r = call("PutRecord", StreamARN=arn, Data=b"one", PartitionKey="k")
assert r["EncryptionType"] == "NONE" and r["SequenceNumber"]
r = call("PutRecords", StreamName=name, Records=[{"Data": b"two", "PartitionKey": "k"}])
assert r["FailedRecordCount"] == 0
it = call("GetShardIterator", StreamARN=arn, ShardId=r["Records"][0]["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
got = call("GetRecords", ShardIterator=it, StreamARN=arn)["Records"]
assert [x["Data"] for x in got] == [b"one", b"two"], got

# Tags, retention, monitoring, resharding.
call("AddTagsToStream", StreamName=name, Tags={"a": "1"})
call("RemoveTagsFromStream", StreamName=name, TagKeys=["a"])
call("TagResource", ResourceARN=arn, Tags={"b": "2"})
call("UntagResource", ResourceARN=arn, TagKeys=["c"])
assert call("ListTagsForResource", ResourceARN=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
assert call("ListTagsForStream", StreamARN=arn)["Tags"] == [{"Key": "b", "Value": "2"}]
call("IncreaseStreamRetentionPeriod", StreamARN=arn, RetentionPeriodHours=48)
call("DecreaseStreamRetentionPeriod", StreamARN=arn, RetentionPeriodHours=24)
assert call("EnableEnhancedMonitoring", StreamARN=arn, ShardLevelMetrics=["IncomingBytes"])["DesiredShardLevelMetrics"] == ["IncomingBytes"]
call("DisableEnhancedMonitoring", StreamARN=arn, ShardLevelMetrics=["ALL"])
call("SplitShard", StreamARN=arn, ShardToSplit=shards[0]["ShardId"], NewStartingHashKey=str(int(shards[0]["HashKeyRange"]["EndingHashKey"]) // 2))
wait_active(name)
open_ = sorted(call("ListShards", StreamARN=arn, ShardFilter={"Type": "AT_LATEST"})["Shards"],
               key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))
call("MergeShards", StreamARN=arn, ShardToMerge=open_[0]["ShardId"], AdjacentShardToMerge=open_[1]["ShardId"])
wait_active(name)
assert call("UpdateShardCount", StreamARN=arn, TargetShardCount=4, ScalingType="UNIFORM_SCALING")["TargetShardCount"] == 4
wait_active(name)

# Consumers and SubscribeToShard.
carn = call("RegisterStreamConsumer", StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
for _ in range(200):
    if call("DescribeStreamConsumer", ConsumerARN=carn)["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE":
        break
    time.sleep(0.05)
assert [c["ConsumerName"] for c in call("ListStreamConsumers", StreamARN=arn)["Consumers"]] == ["c"]
sub = call("SubscribeToShard", ConsumerARN=carn, ShardId=shards[1]["ShardId"], StartingPosition={"Type": "TRIM_HORIZON"})
for event in sub["EventStream"]:
    # The shard was closed by UpdateShardCount: its records, then its end.
    assert [x["Data"] for x in event["SubscribeToShardEvent"]["Records"]] == [b"one", b"two"], event
    break
sub["EventStream"].close()

# Resource policies, on the stream and on the consumer.
policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kinesis:GetRecords","Resource":"%s"}]}' % arn
for res in (arn, carn):
    call("PutResourcePolicy", ResourceARN=res, Policy=policy)
    assert call("GetResourcePolicy", ResourceARN=res)["Policy"] == policy
    call("DeleteResourcePolicy", ResourceARN=res)
call("DeregisterStreamConsumer", ConsumerARN=carn)

# Encryption.
call("StartStreamEncryption", StreamARN=arn, EncryptionType="KMS", KeyId="alias/aws/kinesis")
wait_active(name)
s = summary(name)
assert (s["EncryptionType"], s["KeyId"]) == ("KMS", "alias/aws/kinesis"), s
assert call("PutRecord", StreamARN=arn, Data=b"x", PartitionKey="k")["EncryptionType"] == "KMS"
call("StopStreamEncryption", StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
wait_active(name)
assert summary(name)["EncryptionType"] == "NONE"

# Record size.
call("UpdateMaxRecordSize", StreamARN=arn, MaxRecordSizeInKiB=2048)
wait_active(name)
assert summary(name)["MaxRecordSizeInKiB"] == 2048
call("PutRecord", StreamARN=arn, Data=b"x" * (1536 << 10), PartitionKey="k")

# Account, mode and warm throughput.
limits = call("DescribeLimits")
assert limits["OpenShardCount"] == 4 and limits["OnDemandStreamCount"] == 0, limits
assert call("DescribeAccountSettings")["MinimumThroughputBillingCommitment"]["Status"] == "DISABLED"
acct = call("UpdateAccountSettings", MinimumThroughputBillingCommitment={"Status": "ENABLED"})["MinimumThroughputBillingCommitment"]
assert acct["Status"] == "ENABLED" and acct["EarliestAllowedEndAt"] > acct["StartedAt"], acct
call("UpdateStreamMode", StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
wait_active(name)
assert summary(name)["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"
assert call("DescribeLimits")["OnDemandStreamCount"] == 1
w = call("UpdateStreamWarmThroughput", StreamARN=arn, WarmThroughputMiBps=100)
assert w["StreamName"] == name and w["WarmThroughput"]["TargetMiBps"] == 100, w
wait_active(name)
assert summary(name)["WarmThroughput"] == {"TargetMiBps": 100, "CurrentMiBps": 100}, summary(name)

call("DeleteStream", StreamARN=arn, EnforceConsumerDeletion=True)
missing = model_ops - called
assert not missing, "operations of the model not driven: %s" % sorted(missing)
print("ok", len(called))
