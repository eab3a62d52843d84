"""Builders of hostile and broken input files for test_bad_input.py (no office suite needed).

``cfb`` writes a minimal but valid OLE compound file (CFB v3, 512-byte sectors, one FAT sector,
one directory sector, every stream in regular sectors): what Word/WPS/Excel produce for a .doc, an
.xls or a password-protected .xlsx/.docx, down to the stream names the readers look at
(``WordDocument``; ``Workbook``; ``EncryptionInfo`` + ``EncryptedPackage``).
"""
from __future__ import annotations

import struct

SECTOR = 512
FREE, END, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def _dir_entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
    raw = name.encode("utf-16-le") + b"\0\0" if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size))[:128].ljust(128, b"\0")


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` (each padded to ≥ 4096 bytes, the mini-stream cutoff, so all live in regular sectors)."""
    names = list(streams)
    datas = [streams[n].ljust(4096, b"\0") for n in names]
    fat: list[int] = [FATSECT, END]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for data in datas:
        count = -(-len(data) // SECTOR)
        first = len(fat)
        starts.append(first)
        fat.extend(list(range(first + 1, first + count)) + [END])
    assert len(fat) <= SECTOR // 4, "too much for one FAT sector"
    fat_sector = b"".join(struct.pack("<I", v) for v in fat).ljust(SECTOR, b"\xff")
    # Directory: root (child = 1), streams chained as right siblings (a degenerate but valid tree).
    entries = [_dir_entry("Root Entry", 5, FREE, FREE, 1 if names else FREE, END, 0)]
    for i, (data, start) in enumerate(zip(datas, starts, strict=True)):
        right = i + 2 if i + 1 < len(names) else FREE
        entries.append(_dir_entry(names[i], 2, FREE, right, FREE, start, len(data)))
    while len(entries) % 4:
        entries.append(_dir_entry("", 0, FREE, FREE, FREE, 0, 0))
    directory = b"".join(entries)
    assert len(directory) == SECTOR
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    assert len(header) == SECTOR
    body = b"".join(d.ljust(-(-len(d) // SECTOR) * SECTOR, b"\0") for d in datas)
    return header + fat_sector + directory + body


def encrypted_ooxml() -> bytes:
    """What Excel/WPS write for an .xlsx with an open password (agile encryption: XML descriptor)."""
    info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns='
        b'"http://schemas.microsoft.com/office/2006/encryption"><keyData saltSize="16" blockSize="16" '
        b'keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" '
        b'hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/></encryption>')
    package = struct.pack("<Q", 9000) + bytes((i * 37) % 256 for i in range(9008))
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def word97_doc() -> bytes:
    """The stream layout of a Word 97–2003 .doc (content is not a real document)."""
    return cfb({"WordDocument": b"\xec\xa5\xc1\x00" + b"\0" * 600, "1Table": b"\0" * 600})


def excel97_xls() -> bytes:
    return cfb({"Workbook": b"\x09\x08\x10\x00" + b"\0" * 600})


def image_only_pdf() -> bytes:
    """A PDF whose page is a picture (a scan): no text layer at all."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    image = DecodedStreamObject()
    image.set_data(bytes(range(256)) * 12)  # 64×48 grey "scan"
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(64), NameObject("/Height"): NumberObject(48),
                  NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                  NameObject("/BitsPerComponent"): NumberObject(8)})
    ref = w._add_object(image)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): ref})})
    content = DecodedStreamObject()
    content.set_data(b"q 500 0 0 700 40 60 cm /Im0 Do Q")
    page[NameObject("/Contents")] = w._add_object(content)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()
