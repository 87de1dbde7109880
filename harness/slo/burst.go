package slo

import (
	"sort"

	"github.com/llmchaos/llmchaos/harness/load"
)

// measureBurst finds the longest run of consecutive failed samples by Seq (the first
// such run on a tie). Its duration runs from the first's Scheduled to the last's Ended
// (Scheduled for a dropped sample that never ended).
func (rn *run) measureBurst() Burst {
	bySeq := append([]load.Sample(nil), rn.samples...)
	sort.SliceStable(bySeq, func(i, j int) bool { return bySeq[i].Seq < bySeq[j].Seq })
	var best Burst
	start := -1
	for i := 0; i <= len(bySeq); i++ {
		if i < len(bySeq) && !bySeq[i].OK() {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > best.Count {
			first, last := bySeq[start], bySeq[i-1]
			end := last.Ended()
			if end.IsZero() || end.Before(last.Scheduled) {
				end = last.Scheduled
			}
			best = Burst{Count: i - start, Start: rn.off(first.Scheduled), Duration: end.Sub(first.Scheduled)}
		}
		start = -1
	}
	return best
}
