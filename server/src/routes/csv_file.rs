//! Every CSV Awn offers for download is written here, so that no cell a
//! spreadsheet would read as a formula leaves the server.

use std::borrow::Cow;

/// Writes `rows` as CSV. With `byte_order_mark`, spreadsheet programs read the
/// Arabic as UTF-8.
pub fn csv_bytes<R, C>(rows: R, byte_order_mark: bool) -> Result<Vec<u8>, csv::Error>
where
    R: IntoIterator,
    R::Item: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let start = if byte_order_mark { vec![0xEF, 0xBB, 0xBF] } else { Vec::new() };
    let mut writer = csv::Writer::from_writer(start);
    for row in rows {
        writer.write_record(row.into_iter().map(|cell| neutralised(cell.as_ref()).into_owned()))?;
    }
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return; stored text such as a service's name can)
/// gets a leading `'`, so it is shown as the text it is.
pub fn neutralised(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_is_left_alone() {
        for cell in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralised(cell), format!("'{cell}"));
        }
        for cell in ["", "طعام", "Food = help", "12", "a-b", "'quoted"] {
            assert_eq!(neutralised(cell), cell);
        }
    }

    #[test]
    fn every_cell_of_a_file_is_neutralised() {
        let bytes = csv_bytes([["=1+1", "ok"], ["x", "@me"]], true).expect("written");
        assert_eq!(bytes[..3], [0xEF, 0xBB, 0xBF]);
        let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        assert_eq!(text, "'=1+1,ok\nx,'@me\n");
    }
}
