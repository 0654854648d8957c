package demo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/kinspect/kinspect/kinesisx/kpl"
)

// hotCustomer is the key that keeps one shard of orders near its limit.
const hotCustomer = "customer-42"

var (
	items    = []string{"espresso", "flat white", "croissant", "bagel", "matcha", "cold brew", "muffin"}
	pages    = []string{"/", "/search", "/product/17", "/product/42", "/cart", "/checkout", "/help"}
	services = []string{"api", "billing", "search", "auth"}
	levels   = []string{"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"}
)

// order is one event of the orders stream (fields in a readable order).
type order struct {
	OrderID  string  `json:"orderId"`
	Customer string  `json:"customer"`
	Item     string  `json:"item"`
	Quantity int     `json:"quantity"`
	PriceEur float64 `json:"priceEur"`
	At       string  `json:"at"`
}

// click is one user record of the clickstream-kpl stream.
type click struct {
	User   string `json:"user"`
	Page   string `json:"page"`
	Millis int    `json:"ms"`
	At     string `json:"at"`
}

// orders makes 100 ms of order traffic: ~30 records over 500 customers and
// ~92 for the hot customer (about 920 records/s on its shard).
func orders(tick int, now time.Time) []types.PutRecordsRequestEntry {
	rng := rand.New(rand.NewPCG(uint64(tick), 1))
	var out []types.PutRecordsRequestEntry
	add := func(customer string, i int) {
		b, _ := json.Marshal(order{
			OrderID:  fmt.Sprintf("o-%d-%d", tick, i),
			Customer: customer,
			Item:     items[rng.IntN(len(items))],
			Quantity: 1 + rng.IntN(3),
			PriceEur: float64(250+rng.IntN(600)) / 100,
			At:       now.UTC().Format(time.RFC3339Nano),
		})
		out = append(out, types.PutRecordsRequestEntry{Data: b, PartitionKey: aws.String(customer)})
	}
	for i := 0; i < 30; i++ {
		add(fmt.Sprintf("customer-%d", 100+rng.IntN(500)), i)
	}
	// The hot key bursts a little above and below its mean.
	for i := 0; i < 85+rng.IntN(16); i++ {
		add(hotCustomer, 1000+i)
	}
	return out
}

// clicks makes two KPL aggregates of 20 click events each per tick.
func clicks(tick int, now time.Time) []types.PutRecordsRequestEntry {
	rng := rand.New(rand.NewPCG(uint64(tick), 2))
	var out []types.PutRecordsRequestEntry
	for a := 0; a < 2; a++ {
		var recs []kpl.Record
		for i := 0; i < 20; i++ {
			user := fmt.Sprintf("user-%d", rng.IntN(200))
			b, _ := json.Marshal(click{User: user, Page: pages[rng.IntN(len(pages))], Millis: rng.IntN(900), At: now.UTC().Format(time.RFC3339Nano)})
			recs = append(recs, kpl.Record{PartitionKey: user, Data: b})
		}
		agg, err := kpl.Aggregate(recs)
		if err != nil {
			continue
		}
		// As the KPL does, the aggregate goes where its first key goes.
		out = append(out, types.PutRecordsRequestEntry{Data: agg, PartitionKey: aws.String(recs[0].PartitionKey)})
	}
	return out
}

// logs makes one gzip CloudWatch Logs subscription payload per tick.
func logs(tick int, now time.Time) []types.PutRecordsRequestEntry {
	rng := rand.New(rand.NewPCG(uint64(tick), 3))
	svc := services[rng.IntN(len(services))]
	var events []map[string]any
	for i := 0; i < 1+rng.IntN(4); i++ {
		lvl := levels[rng.IntN(len(levels))]
		events = append(events, map[string]any{
			"id":        fmt.Sprintf("%d%04d", now.UnixNano(), i),
			"timestamp": now.UnixMilli(),
			"message":   fmt.Sprintf("%s %s request_id=%08x latency_ms=%d", now.UTC().Format(time.RFC3339), lvl, rng.Uint32(), rng.IntN(400)),
		})
	}
	doc, _ := json.Marshal(map[string]any{
		"messageType":         "DATA_MESSAGE",
		"owner":               "123456789012",
		"logGroup":            "/aws/lambda/" + svc,
		"logStream":           now.UTC().Format("2006/01/02") + "/[$LATEST]" + fmt.Sprintf("%08x", tick),
		"subscriptionFilters": []string{"to-kinesis"},
		"logEvents":           events,
	})
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(doc)
	_ = zw.Close()
	return []types.PutRecordsRequestEntry{{Data: buf.Bytes(), PartitionKey: aws.String(svc)}}
}
