//! The channels through which the association deals with people (A18): every
//! request, inquiry and interaction records which one it came by, so reports
//! and satisfaction can be read by channel (C3).

use serde::{Deserialize, Serialize};

/// How something reached the association.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Channel {
    /// المقابلة: in person.
    Interview,
    /// الاتصالات الهاتفية
    Phone,
    /// وسائل التواصل الاجتماعي
    SocialMedia,
    /// الخطابات
    Letter,
    /// خدمات طلب المساعدة
    HelpRequestService,
    /// خدمة التطوع
    VolunteeringService,
    /// الموقع الإلكتروني: what the beneficiary submits online, hence the default
    /// (the database column defaults to the same code).
    #[default]
    Website,
    /// مناديب المكاتب
    OfficeRepresentative,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Interview,
        Channel::Phone,
        Channel::SocialMedia,
        Channel::Letter,
        Channel::HelpRequestService,
        Channel::VolunteeringService,
        Channel::Website,
        Channel::OfficeRepresentative,
    ];

    /// The code stored in the database; it is also the key of the channel's
    /// name in the translations (`channels.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Channel::Interview => "interview",
            Channel::Phone => "phone",
            Channel::SocialMedia => "social_media",
            Channel::Letter => "letter",
            Channel::HelpRequestService => "help_request",
            Channel::VolunteeringService => "volunteering",
            Channel::Website => "website",
            Channel::OfficeRepresentative => "office_representative",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|channel| channel.code() == code)
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
