//! The reference library's kinds of document (A9), shared by the staff pages
//! and storage.

use serde::{Deserialize, Serialize};

crate::code_table! {
    /// The kinds of document the policy names (A9). Its code is stored in the
    /// database; it is also the key of its name in the translations (`library.<code>`).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum LibraryCategory {
        /// اللائحة الأساسية للجمعية
        Bylaws = "bylaws",
        /// دليل خدمات البحث الاجتماعي
        ResearchGuide = "research_guide",
        /// دليل سياسة دعم المستفيدين
        SupportPolicyGuide = "support_policy_guide",
        /// نموذج طلب الدعم
        SupportRequestForm = "support_request_form",
        /// سياسات العمل الخيري
        CharityPolicies = "charity_policies",
        /// التعليمات واللوائح الرسمية
        OfficialRegulations = "official_regulations",
    }
}

impl LibraryCategory {
    /// Its place in [`LibraryCategory::ALL`], for sorting.
    pub fn position(self) -> usize {
        Self::ALL.iter().position(|&c| c == self).unwrap_or(Self::ALL.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_positions_follow_the_list() {
        for (index, category) in LibraryCategory::ALL.into_iter().enumerate() {
            assert_eq!(LibraryCategory::from_code(category.code()), Some(category));
            assert_eq!(category.position(), index);
        }
        assert_eq!(LibraryCategory::from_code("minutes"), None);
    }
}
