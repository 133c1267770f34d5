package models

import "fmt"

// A Digest summarises a batch's results so that two batches compare equal
// exactly when they hold the same per-task results for the same indices, in
// any order. Each task contributes mix(index, result); a model that skips,
// repeats or swaps a task changes the sum and the xor together. The zero
// Digest is that of no tasks.
type Digest struct {
	Count int
	Sum   uint64
	Xor   uint64
}

// Add folds task i's result into d.
func (d *Digest) Add(i int, r Result) {
	m := mix(uint64(i), r.Digest^mix(uint64(r.Bytes), 0x9e3779b97f4a7c15))
	d.Count++
	d.Sum += m
	d.Xor ^= m
}

func (d Digest) String() string {
	return fmt.Sprintf("%d:%016x%016x", d.Count, d.Sum, d.Xor)
}

// mix is the splitmix64 finaliser over a and b: cheap, and every input bit
// reaches every output bit.
func mix(a, b uint64) uint64 {
	z := a*0xbf58476d1ce4e5b9 ^ b
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
