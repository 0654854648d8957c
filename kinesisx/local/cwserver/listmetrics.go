package cwserver

import (
	"cmp"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// ListMetrics limits: metrics per page, dimension filters per call, and
// how long a metric without new data is still listed (two weeks; three
// hours with RecentlyActive PT3H).
const (
	listPage       = 500
	maxListFilters = 10
	listHorizon    = 14 * 24 * time.Hour
	recentHorizon  = 3 * time.Hour
)

// dimFilter is one DimensionFilter: a name and, if hasValue, its value.
type dimFilter struct {
	name, value string
	hasValue    bool
}

// listMetrics answers ListMetrics over the Source's series: stream-level
// ones, and shard-level ones while enhanced monitoring is on for them.
func (h *Handler) listMetrics(m cbor.Map) (cbor.Value, *apiError) {
	d := &decoder{}
	ns, name := d.str(m, "Namespace"), d.str(m, "MetricName")
	token, recent := d.str(m, "NextToken"), d.str(m, "RecentlyActive")
	filters := d.list(m, "Dimensions")
	if d.err != nil {
		return nil, d.err
	}
	horizon := listHorizon
	switch recent {
	case "":
	case "PT3H":
		horizon = recentHorizon
	default:
		return nil, errParam("The parameter RecentlyActive must be PT3H (got %q).", recent)
	}
	if len(filters) > maxListFilters {
		return nil, errParam("The collection Dimensions holds %d filters; at most %d.", len(filters), maxListFilters)
	}
	var fs []dimFilter
	for i, fv := range filters {
		fm, ok := fv.(cbor.Map)
		if !ok {
			return nil, errSerialization("Dimensions[%d]: want a map, got %T", i, fv)
		}
		f := dimFilter{name: d.str(fm, "Name"), value: d.str(fm, "Value")}
		_, f.hasValue = d.field(fm, "Value")
		if d.err != nil {
			return nil, d.err
		}
		if f.name == "" {
			return nil, errParam("The parameter Dimensions.member.%d.Name is required.", i+1)
		}
		fs = append(fs, f)
	}
	offset := 0
	if token != "" {
		n, err := parseListToken(token)
		if err != nil {
			return nil, errParam("The parameter NextToken is not valid.")
		}
		offset = n
	}
	if ns != "" && ns != Namespace {
		return cbor.Map{"Metrics": cbor.List{}}, nil
	}
	since := h.opts.Now().Add(-horizon)
	var found []Series
	for _, s := range h.src.MetricSeries() {
		if (name == "" || s.Metric == name) && !s.Last.Before(since) && matchesFilters(s, fs) && h.visible(s) {
			found = append(found, s)
		}
	}
	slices.SortFunc(found, func(a, b Series) int {
		return cmp.Or(cmp.Compare(a.Metric, b.Metric), cmp.Compare(a.Stream, b.Stream), cmp.Compare(a.ShardID, b.ShardID))
	})
	out := cbor.Map{}
	if offset > len(found) {
		offset = len(found)
	}
	page := found[offset:]
	if len(page) > listPage {
		page = page[:listPage]
		out["NextToken"] = cbor.String(base64.RawURLEncoding.EncodeToString([]byte("lm1." + strconv.Itoa(offset+listPage))))
	}
	metrics := make(cbor.List, len(page))
	for i, s := range page {
		metrics[i] = cbor.Map{"Namespace": cbor.String(Namespace), "MetricName": cbor.String(s.Metric), "Dimensions": dimensionsOf(s)}
	}
	out["Metrics"] = metrics
	return out, nil
}

func parseListToken(token string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(raw), "lm1."))
	if err != nil || n < 0 || !strings.HasPrefix(string(raw), "lm1.") {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// dims is a series' dimensions by name.
func dims(s Series) map[string]string {
	out := map[string]string{"StreamName": s.Stream}
	if s.ShardID != "" {
		out["ShardId"] = s.ShardID
	}
	return out
}

func matchesFilters(s Series, fs []dimFilter) bool {
	have := dims(s)
	for _, f := range fs {
		v, ok := have[f.name]
		if !ok || (f.hasValue && v != f.value) {
			return false
		}
	}
	return true
}

// dimensionsOf lists a series' dimensions as CloudWatch does.
func dimensionsOf(s Series) cbor.List {
	out := cbor.List{cbor.Map{"Name": cbor.String("StreamName"), "Value": cbor.String(s.Stream)}}
	if s.ShardID != "" {
		out = append(out, cbor.Map{"Name": cbor.String("ShardId"), "Value": cbor.String(s.ShardID)})
	}
	return out
}
