//! The reference library's kinds of document (A9), shared by the staff pages
//! and storage.

use serde::{Deserialize, Serialize};

/// The kinds of document the policy names (A9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LibraryCategory {
    /// اللائحة الأساسية للجمعية
    Bylaws,
    /// دليل خدمات البحث الاجتماعي
    ResearchGuide,
    /// دليل سياسة دعم المستفيدين
    SupportPolicyGuide,
    /// نموذج طلب الدعم
    SupportRequestForm,
    /// سياسات العمل الخيري
    CharityPolicies,
    /// التعليمات واللوائح الرسمية
    OfficialRegulations,
}

impl LibraryCategory {
    pub const ALL: [LibraryCategory; 6] = [
        LibraryCategory::Bylaws,
        LibraryCategory::ResearchGuide,
        LibraryCategory::SupportPolicyGuide,
        LibraryCategory::SupportRequestForm,
        LibraryCategory::CharityPolicies,
        LibraryCategory::OfficialRegulations,
    ];

    /// The code stored in the database; also the key of its name in the
    /// translations (`library.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            LibraryCategory::Bylaws => "bylaws",
            LibraryCategory::ResearchGuide => "research_guide",
            LibraryCategory::SupportPolicyGuide => "support_policy_guide",
            LibraryCategory::SupportRequestForm => "support_request_form",
            LibraryCategory::CharityPolicies => "charity_policies",
            LibraryCategory::OfficialRegulations => "official_regulations",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|category| category.code() == code)
    }

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
