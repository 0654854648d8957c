package lag

import (
	"context"

	"github.com/kinspect/kinspect/kinesisx"
)

// KCL reads the lease tables of the stream's KCL applications and
// measures each shard. With tables empty it finds them (LeaseTables) and
// keeps the tables that hold leases of this stream; named tables are read
// whatever they hold (a table with no lease of the stream gives an
// application whose shards are all no-lease).
func (r *Reader) KCL(ctx context.Context, st kinesisx.Stream, shards []kinesisx.Shard, tables []string) ([]Application, error) {
	named := len(tables) > 0
	if !named {
		found, err := r.LeaseTables(ctx)
		if err != nil {
			return nil, err
		}
		tables = found
	}
	var apps []Application
	for _, t := range tables {
		all, err := r.ScanLeases(ctx, t)
		if err != nil {
			return nil, err
		}
		leases, multi := forStream(st, all)
		if !named && (multi && len(leases) == 0 || !multi && !matchesShards(leases, shards)) {
			continue
		}
		app := Application{Name: t, Kind: KindKCL, Table: t, MultiStream: multi, Shards: assess(shards, leases)}
		if err := r.measure(ctx, st.Name, app.Shards); err != nil {
			return nil, err
		}
		app.Workers = workers(app.Shards)
		app.Warnings = imbalance(app.Workers)
		apps = append(apps, app)
	}
	return apps, nil
}
