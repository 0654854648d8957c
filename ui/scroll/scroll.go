// Package scroll is the cursor-and-window arithmetic shared by every list:
// which row is selected and which rows are visible. It is pure and does no
// rendering, so that a screen renders only the rows in the window.
package scroll

// Cursor is a selected row in a list of Len rows shown Height rows at a
// time, starting at Offset. The zero value is an empty list.
type Cursor struct {
	Pos, Offset, Len, Height int
}

// SetLen changes the number of rows and keeps the cursor inside.
func (c *Cursor) SetLen(n int) {
	c.Len = max(n, 0)
	c.clamp()
}

// SetHeight changes the window height and keeps the cursor visible.
func (c *Cursor) SetHeight(h int) {
	c.Height = max(h, 0)
	c.clamp()
}

// Move moves the cursor by delta rows.
func (c *Cursor) Move(delta int) {
	c.Pos += delta
	c.clamp()
}

// Page moves by a window height (negative pages up).
func (c *Cursor) Page(pages int) { c.Move(pages * max(c.Height, 1)) }

// Top selects the first row.
func (c *Cursor) Top() { c.Pos = 0; c.clamp() }

// Bottom selects the last row.
func (c *Cursor) Bottom() { c.Pos = c.Len - 1; c.clamp() }

// AtBottom reports whether the last row is selected (or the list is empty).
func (c Cursor) AtBottom() bool { return c.Len == 0 || c.Pos >= c.Len-1 }

// Set selects row i.
func (c *Cursor) Set(i int) { c.Pos = i; c.clamp() }

// Center selects row i with the window around it: the rows before it in
// sight as well as those after.
func (c *Cursor) Center(i int) {
	c.Pos = i
	c.Offset = i - c.Height/2
	c.clamp()
}

// Window returns the half-open range of visible rows.
func (c Cursor) Window() (start, end int) {
	return c.Offset, min(c.Offset+c.Height, c.Len)
}

// Shift renumbers the rows after n were removed from the front (a ring
// buffer dropping its oldest): cursor and window stay on the same rows.
func (c *Cursor) Shift(n int) {
	c.Pos -= n
	c.Offset -= n
	c.clamp()
}

func (c *Cursor) clamp() {
	if c.Pos >= c.Len {
		c.Pos = c.Len - 1
	}
	if c.Pos < 0 {
		c.Pos = 0
	}
	if c.Height <= 0 {
		c.Offset = c.Pos
		return
	}
	if c.Pos < c.Offset {
		c.Offset = c.Pos
	}
	if c.Pos >= c.Offset+c.Height {
		c.Offset = c.Pos - c.Height + 1
	}
	if maxOff := c.Len - c.Height; c.Offset > maxOff {
		c.Offset = max(maxOff, 0)
	}
	if c.Offset < 0 {
		c.Offset = 0
	}
}
