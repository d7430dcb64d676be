"""Reading a CSV upload for an import: shared checks and messages of every import in Clause5.

Each import names its columns and limits; this module turns the upload into rows, or refuses
it with a message on the "file" field that says what to do (save as "CSV UTF-8", split it).
"""

import csv
import io

from django.core.exceptions import ValidationError


def size_text(n: int) -> str:
    """A file size as people read it: 1.5 MB, 12 kB."""
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} kB"


def read_upload(file, *, max_bytes: int) -> str:
    """The uploaded CSV as text; refused on the "file" field unless it is UTF-8 CSV within the limit."""
    name = getattr(file, "name", "") or ""
    if name and not name.lower().endswith((".csv", ".txt")):
        raise ValidationError({"file": f"{name} is not a .csv file. Save the sheet as “CSV UTF-8” and upload that."})
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            {
                "file": f"The file is {size_text(size)}; the limit is {size_text(max_bytes)}. "
                "Split it into smaller files."
            }
        )
    raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValidationError(
            {"file": f"The file is larger than the limit of {size_text(max_bytes)}. Split it into smaller files."}
        )
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            {"file": "This is a spreadsheet workbook, not a CSV file. Save it as “CSV UTF-8” and upload that."}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            {
                "file": f"The file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}). "
                "Save it from the spreadsheet as “CSV UTF-8” and upload it again."
            }
        ) from exc
    if "\x00" in text:
        raise ValidationError({"file": "The file contains binary data; it is not a CSV text file."})
    if not text.strip():
        raise ValidationError({"file": "The file is empty."})
    return text


def parse_rows(text: str, *, expected: tuple[str, ...], max_rows: int) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, values by column) of each data row; the header is row 1.

    The header must name exactly `expected` (in any order). A row with more values than the header
    comes back as {"__error__": ...} so the caller reports it with the row's other problems.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [c.strip().lower() for c in next(reader)]
        missing = [c for c in expected if c not in header]
        unknown = [c for c in header if c and c not in expected]
        problems = []
        if missing:
            problems.append(f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}.")
        if unknown:
            problems.append(f"Unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")
        if problems:
            raise ValidationError({"file": [*problems, f"The first row must name the columns: {', '.join(expected)}."]})
        rows = []
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= max_rows:
                raise ValidationError(
                    {
                        "file": f"The file has more than {max_rows:,} rows; the limit is {max_rows:,} per import. "
                        "Split it into smaller files."
                    }
                )
            if len(values) > len(header):
                rows.append((number, {"__error__": f"has {len(values)} values but the header names {len(header)}"}))
                continue
            values = values + [""] * (len(header) - len(values))
            rows.append((number, {c: v.strip() for c, v in zip(header, values, strict=True) if c}))
    except csv.Error as exc:
        raise ValidationError(
            {"file": f"The file could not be read as CSV near row {reader.line_num}: {exc}."}
        ) from exc
    if not rows:
        raise ValidationError({"file": "The file has a header but no rows to import."})
    return rows
