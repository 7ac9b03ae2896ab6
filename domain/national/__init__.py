"""The national list's yearly work under the 2024 regime (issue 17): 企业绿码 (13号 第二十二条,
ADR 0151) and the 2025 re-benchmark (390号, ADR 0152)."""
