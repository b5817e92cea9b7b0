#!/usr/bin/env python3
"""Print the characters the pinned Chinese font keeps: GB2312, ASCII, CJK punctuation,
full-width forms and the typographic marks the leaflet uses."""
chars = set()
for first in range(0xA1, 0xF8):
    for second in range(0xA1, 0xFF):
        try:
            chars.add(bytes([first, second]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars |= {chr(c) for c in range(0x20, 0x7F)}
chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF00, 0xFFF0)}
chars |= set("–—‘’“”…·•")
print("".join(sorted(chars)))
