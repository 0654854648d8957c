package cmd

import (
	"context"
	"time"

	"github.com/kinspect/kinspect/kinesisx"
	"github.com/kinspect/kinspect/kinesisx/find"
	"github.com/kinspect/kinspect/kinesisx/protodec"
	findui "github.com/kinspect/kinspect/ui/find"
	"github.com/kinspect/kinspect/ui/screen"
)

// findEvery is how often the find screen hears of a search's progress
// when no match comes.
const findEvery = 250 * time.Millisecond

// finder runs the find screen's searches as `kinspect find` does: the tail
// paced by the client's read budget, protobuf payloads decoded for data:.
type finder struct {
	c      *kinesisx.Client
	protos *protodec.Set
}

// Find starts the tail and the search over it; cancelling ctx stops both.
func (f finder) Find(ctx context.Context, req findui.Request) (<-chan find.Report, error) {
	q := req.Query
	if d := f.protos.For(req.Stream); d != nil {
		q.Decode = d.JSON
	}
	t, s, err := find.Start(ctx, f.c, req.Stream, req.Shards, q, req.From)
	if err != nil {
		return nil, err
	}
	out := make(chan find.Report, 1)
	go find.Run(ctx, t, s, findEvery, out)
	return out, nil
}

// findEntry is :find in the registry: its words are the query, on the
// stream on screen.
func findEntry(f finder) screen.Entry {
	e := screen.OnStream(findui.New, findui.Deps{Finder: f})
	e.Query = true
	return e
}
