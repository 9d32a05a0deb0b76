//! The registers of the other people the association deals with (A1, B1):
//! supporters and their contributions (`/staff/supporters`), and the
//! cooperative's members (`/staff/members`).

pub mod members;
pub mod supporters;

/// Rows on a page of a register; the pager reaches the rest.
#[cfg(feature = "ssr")]
const PER_PAGE: u32 = 50;

/// Halalas as riyals with two decimals ("1500.50").
pub fn riyals(halalas: i64) -> String {
    format!("{}.{:02}", halalas / 100, (halalas % 100).abs())
}

#[cfg(test)]
mod tests {
    #[test]
    fn halalas_read_as_riyals() {
        assert_eq!(super::riyals(150_050), "1500.50");
        assert_eq!(super::riyals(1), "0.01");
        assert_eq!(super::riyals(0), "0.00");
    }
}
