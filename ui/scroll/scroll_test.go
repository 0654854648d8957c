package scroll

import "testing"

func TestCursor(t *testing.T) {
	tests := []struct {
		name       string
		ops        func(c *Cursor)
		pos, off   int
		start, end int
	}{
		{"empty", func(c *Cursor) { c.SetHeight(5) }, 0, 0, 0, 0},
		{"down past window scrolls", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Move(4) }, 4, 2, 2, 5},
		{"bottom", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Bottom() }, 9, 7, 7, 10},
		{"up past top clamps", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Move(-5) }, 0, 0, 0, 3},
		{"page down", func(c *Cursor) { c.SetHeight(4); c.SetLen(10); c.Page(1) }, 4, 1, 1, 5},
		{"shrink keeps inside", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Bottom(); c.SetLen(4) }, 3, 1, 1, 4},
		{"shift after drop", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Set(5); c.Shift(2) }, 3, 1, 1, 4},
		{"shift past front", func(c *Cursor) { c.SetHeight(3); c.SetLen(10); c.Set(1); c.Shift(4) }, 0, 0, 0, 3},
		{"window shorter than height", func(c *Cursor) { c.SetHeight(10); c.SetLen(3); c.Bottom() }, 2, 0, 0, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Cursor
			tt.ops(&c)
			s, e := c.Window()
			if c.Pos != tt.pos || c.Offset != tt.off || s != tt.start || e != tt.end {
				t.Errorf("pos %d off %d window [%d,%d); want pos %d off %d window [%d,%d)",
					c.Pos, c.Offset, s, e, tt.pos, tt.off, tt.start, tt.end)
			}
		})
	}
}

func TestAtBottom(t *testing.T) {
	c := Cursor{}
	c.SetHeight(2)
	if !c.AtBottom() {
		t.Error("an empty list is at its bottom")
	}
	c.SetLen(3)
	if c.AtBottom() {
		t.Error("row 0 of 3 is not the bottom")
	}
	c.Bottom()
	if !c.AtBottom() {
		t.Error("Bottom is the bottom")
	}
}

func TestCenter(t *testing.T) {
	for _, tt := range []struct{ len, height, i, wantOff int }{
		{100, 10, 50, 45}, // in the middle
		{100, 10, 2, 0},   // near the top: the window cannot start before 0
		{100, 10, 98, 90}, // near the end: the window ends at the last row
		{5, 10, 3, 0},     // fewer rows than the window
	} {
		c := Cursor{Len: tt.len, Height: tt.height}
		c.Center(tt.i)
		if c.Pos != tt.i || c.Offset != tt.wantOff {
			t.Errorf("Center(%d) of %d rows in %d: pos %d offset %d, want offset %d", tt.i, tt.len, tt.height, c.Pos, c.Offset, tt.wantOff)
		}
	}
}
