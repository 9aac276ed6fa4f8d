"""Case records <-> spreadsheets (work in progress: the cell codec and the sheet layout so far)."""
