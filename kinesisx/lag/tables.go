package lag

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"golang.org/x/sync/errgroup"
)

// LeaseTables lists the tables whose key schema is a KCL lease table's:
// one HASH key named leaseKey. It needs dynamodb:ListTables and
// dynamodb:DescribeTable.
func (r *Reader) LeaseTables(ctx context.Context) ([]string, error) {
	if r.dynamo == nil {
		return nil, fmt.Errorf("DynamoDB %w", ErrUnavailable)
	}
	var names []string
	in := &dynamodb.ListTablesInput{}
	for {
		out, err := r.dynamo.ListTables(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list DynamoDB tables: %w", denied(err, "dynamodb:ListTables", ""))
		}
		names = append(names, out.TableNames...)
		if out.LastEvaluatedTableName == nil {
			break
		}
		in = &dynamodb.ListTablesInput{ExclusiveStartTableName: out.LastEvaluatedTableName}
	}
	isLease := make([]bool, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.concurrency)
	for i, name := range names {
		g.Go(func() error {
			out, err := r.dynamo.DescribeTable(gctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
			if err != nil {
				return fmt.Errorf("describe table %s: %w", name, denied(err, "dynamodb:DescribeTable", "table "+name))
			}
			isLease[i] = out.Table != nil && isLeaseKeySchema(out.Table.KeySchema)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var tables []string
	for i, name := range names {
		if isLease[i] {
			tables = append(tables, name)
		}
	}
	return tables, nil
}

func isLeaseKeySchema(ks []ddbtypes.KeySchemaElement) bool {
	return len(ks) == 1 && aws.ToString(ks[0].AttributeName) == attrLeaseKey && ks[0].KeyType == ddbtypes.KeyTypeHash
}

// ScanLeases reads every lease of a table with paginated, eventually
// consistent Scans (a lease table is small, and a second-old view is good
// enough for lag). It needs dynamodb:Scan.
func (r *Reader) ScanLeases(ctx context.Context, table string) ([]Lease, error) {
	if r.dynamo == nil {
		return nil, fmt.Errorf("DynamoDB %w", ErrUnavailable)
	}
	var leases []Lease
	in := &dynamodb.ScanInput{TableName: aws.String(table)}
	for {
		out, err := r.dynamo.Scan(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("scan lease table %s: %w", table, denied(err, "dynamodb:Scan", "table "+table))
		}
		for _, item := range out.Items {
			if l, ok := parseLease(item); ok {
				leases = append(leases, l)
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return leases, nil
		}
		in = &dynamodb.ScanInput{TableName: aws.String(table), ExclusiveStartKey: out.LastEvaluatedKey}
	}
}
