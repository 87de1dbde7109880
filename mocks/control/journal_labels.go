package control

import "encoding/binary"

// binaryLenMax is the most bytes packLabels spends on one string's length.
const binaryLenMax = binary.MaxVarintLen64

// packLabels is l as one string, each value its length then its bytes: how a chunk keeps
// the labels of an attempt the journal does not share (past maxInterned).
func packLabels(l labels) string {
	b := make([]byte, 0, 4*binaryLenMax+len(l.upstream)+len(l.method)+len(l.fault)+len(l.err))
	for _, s := range [...]string{l.upstream, l.method, l.fault, l.err} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return string(b)
}

// unpackLabels is the labels packLabels made s from.
func unpackLabels(s string) labels {
	var v [4]string
	for i := range v {
		n, k := binary.Uvarint([]byte(s))
		s = s[k:]
		v[i], s = s[:n], s[n:]
	}
	return labels{v[0], v[1], v[2], v[3]}
}
