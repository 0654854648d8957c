package payload

// Plain returns what a search should look in: the payload with its
// wrappings undone, gzip inflated (at most MaxDecompressed bytes) and
// base64 of JSON or gzip decoded, as Decode finds them, up to its nesting
// depth. Anything else is returned as it is.
func Plain(b []byte) []byte {
	for depth := 0; depth < maxDepth; depth++ {
		switch {
		case isGzip(b):
			out, _, _ := gunzip(b, MaxDecompressed)
			if out == nil {
				return b
			}
			b = out
		case isText(b):
			out, ok := unbase64(b)
			if !ok {
				return b
			}
			b = out
		default:
			return b
		}
	}
	return b
}
