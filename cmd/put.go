package cmd

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/hashkey"
)

type putOptions struct {
	f          *Factory
	Stream     string
	Key        string
	RandomKeys bool
	HashKey    string
	Shard      string
	Data       string
	File       string
	Template   string
	Count      int
	Rate       float64
	Output     string
	Yes        bool

	dataSet  bool // --data was given (an empty string is a choice too)
	keySet   bool // --key was given (an empty key is an error, not a default)
	countSet bool // --count was given (0 is then bad usage, not "every line")
	rateSet  bool // --rate was given (0 is then bad usage, not "unlimited")
}

func newPutCmd(f *Factory) *cobra.Command {
	return newPutCmdWith(f, runPut)
}

func newPutCmdWith(f *Factory, runF func(context.Context, *putOptions) error) *cobra.Command {
	o := &putOptions{f: f}
	c := &cobra.Command{
		Use:   "put STREAM",
		Short: "Put test records: from a flag, a file, stdin or a template; choose keys or a target shard",
		Long: `Put records into a stream with PutRecord (one) or PutRecords (batches of up to
500 records and 10 MiB), retrying throttled entries with backoff.

Keys: --key K (fixed), --random-keys (default), --hash-key H (explicit hash key),
or --shard ID (a random hash key inside that open shard's range). With --hash-key
or --shard, --key sets the partition key sent alongside.

Data: --data S, --file F (the whole file is one record), --template T, or stdin
(one record per line). --count repeats --data, --file and --template (default 1)
and limits stdin (default: every line).

Template placeholders: {{seq}} {{now}} {{unix}} {{uuid}} {{rand N}} {{randstr N}}
{{pick a b c}} {{key}}.

Records are checked (size, key length, hash key) before anything is sent: an
input of up to 10,000 records and 64 MiB (--data, --file, --count up to that,
stdin that ends within it) is all or nothing. Beyond that (a longer or endless
stdin, a larger --count), the first 10,000 are checked before the first call and
the rest batch by batch as they are sent; a bad record then stops the put and
the error says how many records were sent. With --template and --rate, {{now}}
is the time of sending, so records are checked batch by batch.
Exit status 1 if any record finally failed, 2 for bad usage.`,
		Example: `  kinspect put orders --key user-1 --data '{"hello":"world"}'
  kinspect put orders --shard shardId-000000000001 --template '{"id":{{seq}},"ts":"{{now}}"}' --count 1000 --rate 200
  cat events.jsonl | kinspect put orders --random-keys -o json`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.Stream = args[0]
			o.dataSet = c.Flags().Changed("data")
			o.keySet = c.Flags().Changed("key")
			o.countSet = c.Flags().Changed("count")
			o.rateSet = c.Flags().Changed("rate")
			if err := o.validate(); err != nil {
				return err
			}
			return runF(c.Context(), o)
		},
	}
	fl := c.Flags()
	fl.StringVar(&o.Key, "key", "", "partition key for every record")
	fl.BoolVar(&o.RandomKeys, "random-keys", false, "a random partition key per record (the default)")
	fl.StringVar(&o.HashKey, "hash-key", "", "explicit hash key (decimal) for every record")
	fl.StringVar(&o.Shard, "shard", "", "land every record on this open shard")
	fl.StringVar(&o.Data, "data", "", "the record's payload")
	fl.StringVar(&o.File, "file", "", "a file whose whole content is one record")
	fl.StringVar(&o.Template, "template", "", "a payload template, e.g. '{\"id\":{{seq}}}'")
	fl.IntVar(&o.Count, "count", 0, "records to send (default 1 with --data/--file/--template, every line of stdin)")
	fl.Float64Var(&o.Rate, "rate", 0, "records per second, at least 0.001 (default: as fast as the stream takes them)")
	fl.StringVarP(&o.Output, "output", "o", "text", "text or json")
	fl.BoolVarP(&o.Yes, "yes", "y", false, "put without asking (needed when there is no terminal, e.g. with records on stdin)")
	return c
}

// validate checks the flags' combinations (usage errors, exit 2).
func (o *putOptions) validate() error {
	if err := outputFlag(o.Output, "text", "json"); err != nil {
		return err
	}
	keyModes := 0
	for _, set := range []bool{o.RandomKeys, o.HashKey != "", o.Shard != ""} {
		if set {
			keyModes++
		}
	}
	if keyModes > 1 || (o.RandomKeys && o.keySet) {
		return usagef("choose one of --key, --random-keys, --hash-key and --shard (--key may go with --hash-key or --shard)")
	}
	sources := 0
	for _, set := range []bool{o.dataSet, o.File != "", o.Template != ""} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		return usagef("choose one of --data, --file and --template (or pipe records on stdin)")
	}
	if o.keySet {
		if err := kinesisx.ValidatePartitionKey(o.Key); err != nil {
			return usagef("--key: %v", err)
		}
	}
	if o.HashKey != "" {
		if _, err := hashkey.Parse(o.HashKey); err != nil {
			return usagef("--hash-key: %v", err)
		}
	}
	if o.Count < 0 || (o.countSet && o.Count == 0) {
		return usagef("--count %d: want at least 1 record", o.Count)
	}
	if o.Rate < 0 || math.IsNaN(o.Rate) || math.IsInf(o.Rate, 0) || (o.rateSet && o.Rate == 0) {
		return usagef("--rate %v: want a positive number of records per second", o.Rate)
	}
	if o.rateSet && o.Rate < minPutRate {
		return usagef("--rate %v: want at least %v records per second", o.Rate, minPutRate)
	}
	return nil
}

// minPutRate is the least --rate: one record every 1,000 s.
const minPutRate = 0.001

// kinesisOptions turns the flags into kinesisx options.
func (o *putOptions) kinesisOptions() kinesisx.PutOptions {
	po := kinesisx.PutOptions{Stream: o.Stream, Key: o.Key, Count: o.Count, Rate: o.Rate}
	// Records read ahead are made early: a paced template's {{now}} would
	// not be the time of sending.
	po.ReadAhead = o.Template == "" || o.Rate == 0
	switch {
	case o.HashKey != "":
		po.Keys, po.HashKey = kinesisx.KeyHash, o.HashKey
	case o.Shard != "":
		po.Keys, po.ShardID = kinesisx.KeyShard, o.Shard
	case o.keySet:
		po.Keys = kinesisx.KeyFixed
	default:
		po.Keys = kinesisx.KeyRandom
	}
	if po.Count == 0 && (o.dataSet || o.File != "" || o.Template != "") {
		po.Count = 1
	}
	return po
}

// source opens the record source the flags name.
func (o *putOptions) source() (kinesisx.RecordSource, error) {
	switch {
	case o.dataSet:
		return kinesisx.Repeat([]byte(o.Data)), nil
	case o.File != "":
		src, err := kinesisx.FileSource(o.File)
		if err != nil {
			return nil, usagef("--file: %v", err)
		}
		return src, nil
	case o.Template != "":
		t, err := kinesisx.ParseTemplate(o.Template)
		if err != nil {
			return nil, usagef("--template: %v", err)
		}
		return t.Source(nil), nil
	}
	return kinesisx.Lines(o.f.In), nil
}

// confirmation describes the put for the prompt. With records read from
// stdin there is no terminal to ask on, so --yes is needed.
func (o *putOptions) confirmation() confirmation {
	what := fmt.Sprintf("put %d record(s) into %s", max(o.Count, 1), o.Stream)
	if !o.dataSet && o.File == "" && o.Template == "" {
		what = fmt.Sprintf("put every line of stdin into %s as a record", o.Stream)
	}
	command := kinesisx.PutRecordsCommand(o.Stream, max(o.Count, 1))
	if o.dataSet && o.Count <= 1 && o.Key != "" {
		command = kinesisx.PutRecordCommand(o.Stream, o.Key, o.HashKey, []byte(o.Data))
	}
	return confirmation{action: kinesisx.ActionPut, what: what, command: command}
}

// putJSON is the summary of `put -o json`.
type putJSON struct {
	Sent    int            `json:"sent"`
	Failed  int            `json:"failed"`
	Retries int            `json:"retries"`
	Shards  map[string]int `json:"shards"`
	Errors  map[string]int `json:"errors"`
}

func runPut(ctx context.Context, o *putOptions) error {
	src, err := o.source()
	if err != nil {
		return err
	}
	c, err := o.f.Client(ctx)
	if err != nil {
		return err
	}
	if err := mayMutate(o.f, o.Yes, kinesisx.ActionPut); err != nil {
		return err
	}
	plan, err := c.PlanPut(ctx, o.kinesisOptions())
	if err != nil {
		return err
	}
	for _, w := range plan.Warnings {
		fmt.Fprintln(o.f.Err, "warning: "+w)
	}
	// A scripted put (--yes) keeps stderr clean; mayMutate let it through.
	if !o.Yes {
		if err := confirm(o.f, false, o.confirmation()); err != nil {
			return err
		}
	}
	res, runErr := plan.Run(ctx, src, nil)
	if res.Sent+res.Failed > 0 || runErr == nil {
		if err := printPutResult(o, res); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	if res.Failed > 0 {
		return fmt.Errorf("%d of %d records failed (%s)", res.Failed, res.Sent+res.Failed, errorSummary(res.Errors))
	}
	return nil
}

func printPutResult(o *putOptions, res kinesisx.PutResult) error {
	if o.Output == "json" {
		return writeJSON(o.f.Out, putJSON{Sent: res.Sent, Failed: res.Failed, Retries: res.Retries, Shards: nonNilMap(res.Shards), Errors: nonNilMap(res.Errors)})
	}
	fmt.Fprintf(o.f.Out, "sent %d records to %s (%d failed, %d retries)\n", res.Sent, o.Stream, res.Failed, res.Retries)
	ids := make([]string, 0, len(res.Shards))
	for id := range res.Shards {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	t := newTable(o.f.Out, "SHARD", "RECORDS")
	for _, id := range ids {
		t.row(id, fmt.Sprint(res.Shards[id]))
	}
	if err := t.flush(); err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		fmt.Fprintf(o.f.Out, "errors: %s\n", errorSummary(res.Errors))
	}
	return nil
}

// errorSummary prints error counts as "Code: n, Code: n", most frequent first.
func errorSummary(errs map[string]int) string {
	codes := make([]string, 0, len(errs))
	for code := range errs {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool {
		if errs[codes[i]] != errs[codes[j]] {
			return errs[codes[i]] > errs[codes[j]]
		}
		return codes[i] < codes[j]
	})
	parts := make([]string, 0, len(codes))
	for _, code := range codes {
		parts = append(parts, fmt.Sprintf("%s: %d", code, errs[code]))
	}
	return strings.Join(parts, ", ")
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
