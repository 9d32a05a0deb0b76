//! The channels through which the association deals with people (A18): every
//! request, inquiry and interaction records which one it came by, so reports
//! and satisfaction can be read by channel (C3).

use serde::{Deserialize, Serialize};

crate::code_table! {
    /// How something reached the association. Its code is stored in the database;
    /// it is also the key of the channel's name in the translations (`channels.<code>`).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Channel {
        /// المقابلة: in person.
        Interview = "interview",
        /// الاتصالات الهاتفية
        Phone = "phone",
        /// وسائل التواصل الاجتماعي
        SocialMedia = "social_media",
        /// الخطابات
        Letter = "letter",
        /// خدمات طلب المساعدة
        HelpRequestService = "help_request",
        /// خدمة التطوع
        VolunteeringService = "volunteering",
        /// الموقع الإلكتروني: what the beneficiary submits online, hence the default
        /// (the database column defaults to the same code).
        #[default]
        Website = "website",
        /// مناديب المكاتب
        OfficeRepresentative = "office_representative",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_are_unique() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(channel));
        }
        let mut codes: Vec<&str> = Channel::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Channel::ALL.len());
        assert_eq!(Channel::from_code("fax"), None);
        assert_eq!(Channel::from_code("Website"), None);
    }

    #[test]
    fn stored_codes_do_not_change() {
        // Rows already in the database hold these; "website" is the column default.
        let codes: Vec<&str> = Channel::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(
            codes,
            [
                "interview",
                "phone",
                "social_media",
                "letter",
                "help_request",
                "volunteering",
                "website",
                "office_representative"
            ]
        );
        assert_eq!(Channel::default(), Channel::Website);
        assert_eq!(Channel::default().code(), "website");
    }
}
