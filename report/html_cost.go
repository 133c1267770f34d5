package report

import "strconv"

// granularity is each model's speedup against task length, both on log
// scales.
func (hb *htmlBuilder) granularity() *htmlChart {
	if len(hb.a.Granularity) == 0 {
		return nil
	}
	panel := htmlPanel{}
	for _, c := range hb.a.Granularity {
		s := panel.series(c.Model)
		for _, pt := range c.Points {
			p, ok := ratioPoint(pt.Speedup)
			if !ok {
				continue
			}
			p.X = pt.TaskTime * 1e6
			p.Text = c.Model + " at " + formatDuration(pt.TaskTime) + " a task: " + p.Text
			p.Cell = hb.cell(pt.M)
			s.Points = append(s.Points, p)
		}
	}
	return &htmlChart{Name: "granularity", Kind: "lines", LogX: true, LogY: true,
		Title:   "Speedup over sequential by task length (×, log scales)",
		Caption: "One line per model, on tasks that only compute, workers = cores. Below 1× a model is slower than running the tasks one after another; the break-even table says from which length each pays.",
		X:       "µs of work per task", Y: "speedup over sequential (×)", Panels: []htmlPanel{panel}}
}

// footprint is the resident memory per waiting task against the tasks
// held, both on log scales.
func (hb *htmlBuilder) footprint() *htmlChart {
	if len(hb.a.Footprints) == 0 {
		return nil
	}
	panel := htmlPanel{}
	for _, f := range hb.a.Footprints {
		s := panel.series(f.Model)
		for _, h := range f.Holds {
			p, ok := summaryPoint(h.RSS, "B/task")
			if !ok {
				continue
			}
			p.X = float64(h.Tasks)
			p.Text = f.Model + " holding " + strconv.Itoa(h.Tasks) + ": " + formatBytes(h.RSS.Center) + " a task"
			p.Cell = hb.cell(h.M)
			s.Points = append(s.Points, p)
		}
	}
	return &htmlChart{Name: "footprint", Kind: "lines", LogX: true, LogY: true,
		Title:   "Memory per waiting task by model (bytes, log scales)",
		Caption: "N tasks held blocked under each model with N workers: the resident memory that this process and its children (by Pss) gained, per task.",
		X:       "tasks held blocked at once", Y: "resident bytes per task", Panels: []htmlPanel{panel}}
}
