package kinesisx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// ConsumerPrefix starts the name of every EFO consumer kinspect registers
// for itself.
const ConsumerPrefix = "kinspect-"

// Consumer is one registered enhanced fan-out consumer of a stream.
type Consumer struct {
	Name      string
	ARN       string
	Status    string // CREATING, ACTIVE or DELETING
	CreatedAt time.Time
	Kinspect  bool // the name has kinspect's prefix
	// Heartbeat is the last heartbeat a live kinspect wrote on the
	// consumer (HeartbeatTag); zero when it has none or it was not read
	// (see ReadHeartbeats).
	Heartbeat time.Time
}

// Consumer status values, as the API spells them.
const (
	ConsumerCreating = string(types.ConsumerStatusCreating)
	ConsumerActive   = string(types.ConsumerStatusActive)
	ConsumerDeleting = string(types.ConsumerStatusDeleting)
)

// consumerActiveTimeout bounds the wait for a new consumer to become
// ACTIVE. AWS documents no CREATING duration; users see about 10 s.
const consumerActiveTimeout = 2 * time.Minute

// NewConsumerName returns a fresh name for kinspect's own EFO consumer:
// "kinspect-<short hostname>-<8 random hex digits>". The host part lets an
// operator see which machine leaked a consumer; the random part keeps two
// kinspect processes on one host from taking over each other's
// subscriptions.
func NewConsumerName() string {
	host, _ := os.Hostname()
	return consumerName(host, rand.Reader)
}

// consumerName builds a consumer name from a host name and a random source.
// The result matches [a-zA-Z0-9_.-]{1,128}.
func consumerName(host string, rnd io.Reader) string {
	if i := strings.IndexByte(host, '.'); i >= 0 {
		host = host[:i]
	}
	var b strings.Builder
	for _, r := range host {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
		if b.Len() >= 40 {
			break
		}
	}
	h := strings.Trim(b.String(), "-")
	if h == "" {
		h = "host"
	}
	var buf [4]byte
	if _, err := io.ReadFull(rnd, buf[:]); err != nil {
		// crypto/rand does not fail on supported platforms; fall back to the
		// clock rather than fail a tail for want of entropy.
		n := time.Now().UnixNano()
		buf = [4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
	}
	return ConsumerPrefix + h + "-" + hex.EncodeToString(buf[:])
}

// IsKinspectConsumer reports whether a consumer name is one kinspect gives
// its own consumers.
func IsKinspectConsumer(name string) bool {
	return strings.HasPrefix(name, ConsumerPrefix)
}

// ListConsumers lists every consumer registered to a stream, following
// pages.
func (c *Client) ListConsumers(ctx context.Context, streamARN string) ([]Consumer, error) {
	var out []Consumer
	in := &kinesis.ListStreamConsumersInput{StreamARN: aws.String(streamARN)}
	for {
		page, err := c.api.ListStreamConsumers(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list consumers of %s: %w", streamARN, err)
		}
		for _, sc := range page.Consumers {
			out = append(out, consumerFrom(sc.ConsumerName, sc.ConsumerARN, sc.ConsumerStatus, sc.ConsumerCreationTimestamp))
		}
		if page.NextToken == nil || *page.NextToken == "" {
			return out, nil
		}
		in = &kinesis.ListStreamConsumersInput{StreamARN: aws.String(streamARN), NextToken: page.NextToken}
	}
}

// RegisterConsumer registers a new consumer and remembers it, so that
// CleanupConsumers deregisters it. The consumer starts CREATING; see
// EnsureConsumer to wait until it can read.
func (c *Client) RegisterConsumer(ctx context.Context, streamARN, name string) (Consumer, error) {
	if err := c.guard.Allow(ActionRegisterConsumer); err != nil {
		return Consumer{}, err
	}
	if err := ValidateConsumerName(name); err != nil {
		return Consumer{}, err
	}
	out, err := c.api.RegisterStreamConsumer(ctx, &kinesis.RegisterStreamConsumerInput{
		StreamARN:    aws.String(streamARN),
		ConsumerName: aws.String(name),
	})
	if err != nil {
		return Consumer{}, fmt.Errorf("register consumer %s: %w", name, err)
	}
	if out.Consumer == nil || out.Consumer.ConsumerARN == nil {
		return Consumer{}, fmt.Errorf("register consumer %s: the response has no consumer ARN", name)
	}
	sc := out.Consumer
	cons := consumerFrom(sc.ConsumerName, sc.ConsumerARN, sc.ConsumerStatus, sc.ConsumerCreationTimestamp)
	c.consumer.add(cons.ARN, streamARN)
	return cons, nil
}

// EnsureConsumer returns the consumer called name on the stream, registering
// it if there is none, and waits until it is ACTIVE (polling about every
// second, for at most two minutes, or until ctx ends). From then until ctx
// ends, a kinspect consumer carries this process's heartbeat (see
// startHeartbeat), so that no prune removes it while in use. created says whether
// this call registered it; only such consumers are deregistered by
// CleanupConsumers. If the wait fails after a registration, the consumer
// stays in the registry, so CleanupConsumers still removes it.
func (c *Client) EnsureConsumer(ctx context.Context, streamARN, name string) (cons Consumer, created bool, err error) {
	if err := ValidateConsumerName(name); err != nil {
		return Consumer{}, false, err
	}
	cons, err = c.describeConsumer(ctx, &kinesis.DescribeStreamConsumerInput{
		StreamARN: aws.String(streamARN), ConsumerName: aws.String(name),
	})
	switch {
	case isKinesisNotFound(err):
		cons, err = c.RegisterConsumer(ctx, streamARN, name)
		if err != nil {
			return Consumer{}, false, err
		}
		created = true
	case err != nil:
		return Consumer{}, false, fmt.Errorf("describe consumer %s: %w", name, err)
	case cons.Status == ConsumerDeleting:
		return Consumer{}, false, fmt.Errorf("consumer %s is being deregistered: wait a few seconds or choose another name", name)
	}
	if cons.Status != ConsumerActive {
		if cons, err = c.waitConsumerActive(ctx, cons); err != nil {
			return cons, created, err
		}
	}
	c.startHeartbeat(ctx, cons)
	return cons, created, nil
}

// waitConsumerActive polls DescribeStreamConsumer until the consumer is
// ACTIVE, backing off from 1 s to 5 s.
func (c *Client) waitConsumerActive(ctx context.Context, cons Consumer) (Consumer, error) {
	deadline := c.now().Add(consumerActiveTimeout)
	delay := time.Second
	for {
		if err := c.wait(ctx, delay); err != nil {
			return cons, fmt.Errorf("wait for consumer %s to become ACTIVE: %w", cons.Name, err)
		}
		got, err := c.describeConsumer(ctx, &kinesis.DescribeStreamConsumerInput{ConsumerARN: aws.String(cons.ARN)})
		if err != nil {
			return cons, fmt.Errorf("wait for consumer %s to become ACTIVE: %w", cons.Name, err)
		}
		cons = got
		switch cons.Status {
		case ConsumerActive:
			return cons, nil
		case ConsumerDeleting:
			return cons, fmt.Errorf("consumer %s is being deregistered by someone else", cons.Name)
		}
		if !c.now().Before(deadline) {
			return cons, fmt.Errorf("consumer %s still %s after %s", cons.Name, cons.Status, consumerActiveTimeout)
		}
		delay = min(delay*3/2, 5*time.Second)
	}
}

func (c *Client) describeConsumer(ctx context.Context, in *kinesis.DescribeStreamConsumerInput) (Consumer, error) {
	out, err := c.api.DescribeStreamConsumer(ctx, in)
	if err != nil {
		return Consumer{}, err
	}
	d := out.ConsumerDescription
	if d == nil {
		return Consumer{}, errors.New("DescribeStreamConsumer returned no description")
	}
	return consumerFrom(d.ConsumerName, d.ConsumerARN, d.ConsumerStatus, d.ConsumerCreationTimestamp), nil
}

// DeregisterConsumer deregisters a consumer by ARN and forgets it. A
// consumer that is already gone counts as deregistered.
func (c *Client) DeregisterConsumer(ctx context.Context, consumerARN string) error {
	if err := c.guard.Allow(ActionDeregisterConsumer); err != nil {
		return err
	}
	c.consumer.stopBeat(consumerARN)
	_, err := c.api.DeregisterStreamConsumer(ctx, &kinesis.DeregisterStreamConsumerInput{ConsumerARN: aws.String(consumerARN)})
	if err != nil && !isKinesisNotFound(err) {
		return fmt.Errorf("deregister consumer %s: %w", consumerARN, err)
	}
	c.consumer.remove(consumerARN)
	return nil
}

// CleanupConsumers deregisters every consumer this Client registered and
// returns the joined errors. Call it on every exit path with a fresh context
// (with a timeout), not with a context that was cancelled by the interrupt.
func (c *Client) CleanupConsumers(ctx context.Context) error {
	var errs []error
	for arn := range c.consumer.all() {
		if err := c.DeregisterConsumer(ctx, arn); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// validConsumerName checks a name against the API's rule, 1–128 characters
// of [a-zA-Z0-9_.-], so that a bad name fails before any call.
func ValidateConsumerName(name string) error {
	if name == "" || len(name) > 128 {
		return fmt.Errorf("consumer name %q: must be 1 to 128 characters", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-'
		if !ok {
			return fmt.Errorf("consumer name %q: only letters, digits, '_', '.' and '-' are allowed", name)
		}
	}
	return nil
}

func consumerFrom(name, arn *string, status types.ConsumerStatus, created *time.Time) Consumer {
	cons := Consumer{
		Name:   aws.ToString(name),
		ARN:    aws.ToString(arn),
		Status: string(status),
	}
	if created != nil {
		cons.CreatedAt = *created
	}
	cons.Kinspect = IsKinspectConsumer(cons.Name)
	return cons
}

// isKinesisNotFound reports whether err is Kinesis's ResourceNotFound.
func isKinesisNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}
