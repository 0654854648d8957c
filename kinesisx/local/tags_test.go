package local_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/kinspect/kinspect/kinesisx/local"
	"github.com/kinspect/kinspect/kinesisx/local/localtest"
)

// tagsScript drives TagResource, UntagResource and ListTagsForResource with
// boto3 (an independent client, parameter validation off so that the
// server's own checks answer) on a stream ARN and a consumer ARN, and
// checks AWS's answers and errors. It prints "ok" when every check held.
const tagsScript = `
import sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
k = boto3.client("kinesis", endpoint_url=sys.argv[1], region_name="us-east-1",
    aws_access_key_id="test", aws_secret_access_key="test",
    config=Config(parameter_validation=False, retries={"max_attempts": 1}))
k.create_stream(StreamName="tags", ShardCount=1)
sarn = k.describe_stream_summary(StreamName="tags")["StreamDescriptionSummary"]["StreamARN"]
carn = k.register_stream_consumer(StreamARN=sarn, ConsumerName="kinspect-h-1")["Consumer"]["ConsumerARN"]

def tags(arn):
    return {t["Key"]: t["Value"] for t in k.list_tags_for_resource(ResourceARN=arn)["Tags"]}

def fails(code, **kw):
    op = kw.pop("op")
    try:
        getattr(k, op)(**kw)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, (op, kw.get("ResourceARN"), "want", code, "got", got, e.response["Error"].get("Message"))
        return
    raise AssertionError((op, "want", code, "got success"))

assert tags(carn) == {}, tags(carn)
k.tag_resource(ResourceARN=carn, Tags={"kinspect:heartbeat": "2025-01-02T03:04:05Z"})
k.tag_resource(ResourceARN=carn, Tags={"kinspect:heartbeat": "2025-01-02T03:05:05Z", "team": "a b"})
assert tags(carn) == {"kinspect:heartbeat": "2025-01-02T03:05:05Z", "team": "a b"}, tags(carn)
k.untag_resource(ResourceARN=carn, TagKeys=["team", "absent"])
assert tags(carn) == {"kinspect:heartbeat": "2025-01-02T03:05:05Z"}, tags(carn)
# The stream's tags are its own, and AddTagsToStream's are the same ones.
assert tags(sarn) == {}, tags(sarn)
k.tag_resource(ResourceARN=sarn, Tags={"env": "test"})
k.add_tags_to_stream(StreamName="tags", Tags={"owner": "me"})
assert tags(sarn) == {"env": "test", "owner": "me"}, tags(sarn)
k.untag_resource(ResourceARN=sarn, TagKeys=["owner"])
assert [t["Key"] for t in k.list_tags_for_stream(StreamName="tags")["Tags"]] == ["env"]

# Unknown resources.
fails("ResourceNotFoundException", op="list_tags_for_resource", ResourceARN=sarn + "/consumer/nobody:1")
fails("ResourceNotFoundException", op="tag_resource", ResourceARN=carn[:-1] + ("8" if carn[-1] == "9" else "9"), Tags={"a": "b"})
fails("ResourceNotFoundException", op="list_tags_for_resource", ResourceARN=sarn.replace("/tags", "/nope"))
fails("ResourceNotFoundException", op="untag_resource", ResourceARN=sarn.replace("/tags", "/nope"), TagKeys=["a"])
# Bad arguments.
fails("ValidationException", op="list_tags_for_resource", ResourceARN="not-an-arn")
fails("ValidationException", op="tag_resource", ResourceARN=carn, Tags={})
fails("ValidationException", op="tag_resource", ResourceARN=carn, Tags={"k" * 129: "v"})
fails("ValidationException", op="tag_resource", ResourceARN=carn, Tags={"k": "v" * 257})
fails("ValidationException", op="untag_resource", ResourceARN=carn, TagKeys=[])
fails("ValidationException", op="untag_resource", ResourceARN=carn, TagKeys=["k%d" % i for i in range(51)])
fails("InvalidArgumentException", op="tag_resource", ResourceARN=carn, Tags={"bad<key>": "v"})
k.tag_resource(ResourceARN=carn, Tags={"k" * 128: "v" * 256})
# At most 50 tags on a resource: 48 more fit, the 51st does not.
k.tag_resource(ResourceARN=carn, Tags={"t%d" % i: "" for i in range(48)})
assert len(tags(carn)) == 50, len(tags(carn))
fails("LimitExceededException", op="tag_resource", ResourceARN=carn, Tags={"one-more": "x"})
k.tag_resource(ResourceARN=carn, Tags={"t0": "replaced"})  # replacing is not adding
assert tags(carn)["t0"] == "replaced"
# A deregistered consumer's tags are gone with it; a new one starts empty.
k.deregister_stream_consumer(ConsumerARN=carn)
carn2 = k.register_stream_consumer(StreamARN=sarn, ConsumerName="kinspect-h-1")["Consumer"]["ConsumerARN"]
assert tags(carn2) == {}, tags(carn2)
print("ok")
`

// TestTagResourceBoto3 drives the ARN-addressed tag operations of the
// built-in endpoint with boto3 on a stream and a consumer.
func TestTagResourceBoto3(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
		t.Skip("boto3 is not installed")
	}
	_, url := localtest.Start(t, local.Options{})
	cmd := exec.Command("python3", "-c", tagsScript, url)
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/nonexistent", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Fatalf("boto3 tag checks: %v\n%s", err, out)
	}
}
