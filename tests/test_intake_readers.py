"""planlib.intake.readers: files into raw rows, with Chinese headers, Excel's GBK and every place named."""

from planlib.intake import readers

CSV = "指标代码,地区,年份,数值\nW04,石柱县,2024,95.5\nC02,,2024,2.1\n"


def test_a_csv_with_chinese_headers_in_gbk_reads_into_rows():
    parsed = readers._parse("县卫生健康委.csv", CSV.encode("gbk"))
    assert parsed.problems == ()
    assert [(r.loc.row, r.cells["indicator_id"][0], r.cells["value"][0]) for r in parsed.rows] == [
        (2, "W04", "95.5"), (3, "C02", "2.1")]


def test_a_file_that_is_not_text_is_refused_with_its_name():
    parsed = readers._parse("photo.csv", bytes(range(256)) * 10)
    assert parsed.rows == () and len(parsed.problems) == 1
    assert parsed.problems[0].file == "photo.csv" and parsed.problems[0].severity == "error"


def test_a_csv_without_the_value_column_names_what_is_missing():
    parsed = readers._parse("a.csv", "indicator_id,year\nW04,2024\n".encode())
    assert parsed.rows == ()
    assert any("value" in p.message_en for p in parsed.problems)
