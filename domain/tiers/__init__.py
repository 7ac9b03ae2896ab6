"""The three lists of 工信部节〔2024〕13号 第二条 (national, provincial, municipal): the
prefectures a municipal list belongs to, the provinces' own parameters (实施细则) and the stars
they rate with."""
