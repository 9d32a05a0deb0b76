//! Pages of a staff list: every list shows its total and is read a page at a
//! time, so nothing is ever cut off silently (300 junk reports cannot hide the
//! real one behind a LIMIT). A page number comes from a URL anyone can edit:
//! whatever it holds, it is clamped to a page that exists, never an error.

use serde::{Deserialize, Serialize};

use crate::digits::parse_whole_number;

/// Rows on a page when a list does not say otherwise.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// The most rows a page may hold.
pub const MAX_PER_PAGE: u32 = 200;

/// Which page of a list is asked for. Always a valid request: `page` is at
/// least 1 and `per_page` within `1..=MAX_PER_PAGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self::new(1, DEFAULT_PER_PAGE)
    }
}

impl PageRequest {
    /// Page `page` (the first is 1) of `per_page` rows, both clamped into range.
    pub fn new(page: u32, per_page: u32) -> Self {
        Self { page: page.max(1), per_page: per_page.clamp(1, MAX_PER_PAGE) }
    }

    /// The page a query string's `page=` asks for, in any digit script. Text,
    /// a sign, zero or nothing mean the first page; a number too large for a
    /// page means the last one (see [`PageRequest::within`]).
    pub fn from_query(text: Option<&str>, per_page: u32) -> Self {
        let page = match text.map(parse_whole_number) {
            Some(Ok(number)) => u32::try_from(number).unwrap_or(u32::MAX),
            Some(Err(crate::digits::NumberInputError::TooLarge)) => u32::MAX,
            _ => 1,
        };
        Self::new(page, per_page)
    }

    pub fn page(self) -> u32 {
        self.page
    }

    pub fn per_page(self) -> u32 {
        self.per_page
    }

    /// The same request moved back to the last page when it is past the end
    /// of a list of `total` rows.
    pub fn within(self, total: u64) -> Self {
        Self { page: self.page.min(page_count(total, self.per_page)), ..self }
    }

    /// Rows to skip before this page.
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

/// How many pages `total` rows fill: at least one, the empty list's.
pub fn page_count(total: u64, per_page: u32) -> u32 {
    let per_page = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per_page).max(1)).unwrap_or(u32::MAX)
}

/// One page of a list, with the size of the whole list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Rows in the whole list, on every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The page `request` (already clamped [`PageRequest::within`] `total`) holding `items`.
    pub fn new(items: Vec<T>, total: u64, request: PageRequest) -> Self {
        Self { items, total, page: request.page, per_page: request.per_page }
    }

    /// The page's place in its list, for a pager.
    pub fn position(&self) -> PagePosition {
        PagePosition { total: self.total, page: self.page, per_page: self.per_page }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// The items and the page's place, apart.
    pub fn split(self) -> (Vec<T>, PagePosition) {
        let position = self.position();
        (self.items, position)
    }
}

/// Where a page sits in its list: what a pager shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagePosition {
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl Default for PagePosition {
    fn default() -> Self {
        Self { total: 0, page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl PagePosition {
    pub fn page_count(self) -> u32 {
        page_count(self.total, self.per_page)
    }

    /// The page before this one, if any.
    pub fn previous(self) -> Option<u32> {
        (self.page > 1).then(|| self.page.min(self.page_count()) - 1).filter(|&p| p >= 1)
    }

    /// The page after this one, if any.
    pub fn next(self) -> Option<u32> {
        (self.page < self.page_count()).then_some(self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_with_the_last_one_partly_filled() {
        assert_eq!(page_count(0, 50), 1, "an empty list still has its one page");
        assert_eq!(page_count(1, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert_eq!(page_count(305, 50), 7);
        assert_eq!(page_count(u64::MAX, 1), u32::MAX, "no overflow");
    }

    #[test]
    fn per_page_stays_within_its_bounds() {
        assert_eq!(PageRequest::new(1, 0).per_page(), 1);
        assert_eq!(PageRequest::new(1, 10_000).per_page(), MAX_PER_PAGE);
        assert_eq!(PageRequest::new(0, 20), PageRequest::new(1, 20), "pages start at 1");
        assert_eq!(PageRequest::default().per_page(), DEFAULT_PER_PAGE);
    }

    #[test]
    fn a_page_from_the_address_bar_is_always_a_page() {
        let page = |text: Option<&str>| PageRequest::from_query(text, 50).page();
        assert_eq!(page(None), 1);
        assert_eq!(page(Some("")), 1);
        assert_eq!(page(Some("abc")), 1);
        assert_eq!(page(Some("-1")), 1);
        assert_eq!(page(Some("0")), 1);
        assert_eq!(page(Some("1.5")), 1);
        assert_eq!(page(Some("3")), 3);
        assert_eq!(page(Some("٣")), 3, "Arabic-Indic digits");
        assert_eq!(page(Some("99999")), 99_999);
        assert_eq!(page(Some("99999999999999999999999")), u32::MAX, "too large is the last page");
    }

    #[test]
    fn a_page_past_the_end_becomes_the_last_page() {
        let far = PageRequest::from_query(Some("99999"), 50);
        assert_eq!(far.within(305).page(), 7);
        assert_eq!(far.within(305).offset(), 300);
        assert_eq!(far.within(0).page(), 1);
        assert_eq!(far.within(0).offset(), 0);
        assert_eq!(PageRequest::new(2, 50).within(305).page(), 2, "a page that exists is kept");
        assert_eq!(PageRequest::new(u32::MAX, MAX_PER_PAGE).offset(), u64::from(u32::MAX - 1) * 200, "no overflow");
    }

    #[test]
    fn a_position_knows_its_neighbours() {
        let at = |page: u32, total: u64| PagePosition { total, page, per_page: 50 };
        assert_eq!((at(1, 305).previous(), at(1, 305).next()), (None, Some(2)));
        assert_eq!((at(2, 305).previous(), at(2, 305).next()), (Some(1), Some(3)));
        assert_eq!((at(7, 305).previous(), at(7, 305).next()), (Some(6), None));
        assert_eq!((at(1, 0).previous(), at(1, 0).next()), (None, None));
        assert_eq!(at(1, 305).page_count(), 7);
    }

    #[test]
    fn a_page_carries_its_items_and_place() {
        let page = Page::new(vec![1, 2], 52, PageRequest::new(9, 50).within(52));
        assert_eq!((page.page, page.per_page, page.total), (2, 50, 52));
        let (items, position) = page.map(|n| n * 10).split();
        assert_eq!(items, [10, 20]);
        assert_eq!(position, PagePosition { total: 52, page: 2, per_page: 50 });
    }
}
