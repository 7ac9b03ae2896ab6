"""企业绿码 (13号 第二十二条): the yearly grades of national green factories (ADR 0151)."""
