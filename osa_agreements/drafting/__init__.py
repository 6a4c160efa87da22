"""Drafting Notes: a programme, the clause library and a Word template become a .docx (the one docxtpl adapter)."""
