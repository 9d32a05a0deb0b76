//! What the audit log records: one code per kind of read or change of personal
//! data (B11). The codes are stored and hashed into the log's chain: never
//! change one; add a variant instead.

crate::code_table! {
    /// A kind of entry in the audit log.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum AuditAction {
        /// A request taken in by staff from any channel (A10, A18).
        RequestIntake = "request.intake",
        RequestStartVerification = "request.start_verification",
        RequestVerify = "request.verify",
        RequestStudy = "request.study",
        RequestDecide = "request.decide",
        RequestRegister = "request.register",
        RequestService = "request.service",
        RequestClose = "request.close",
        RequestAssign = "request.assign",
        RequestExtendDecision = "request.extend_decision",
        RequestMessage = "request.message",
        /// A request's case file opened.
        CaseView = "case.view",
        /// A beneficiary's document opened.
        DocumentView = "document.view",
        /// A beneficiary's whole file opened.
        BeneficiaryView = "beneficiary.view",
        QueueView = "queue.view",
        /// A search of the queue; the reason carries the (masked) term.
        QueueSearch = "queue.search",
        InquiriesView = "inquiries.view",
        InquiryAnswer = "inquiry.answer",
        FaqPublish = "faq.publish",
        ComplaintsView = "complaints.view",
        SupportersView = "supporters.view",
        SupporterView = "supporter.view",
        SupporterAdd = "supporter.add",
        ContributionAdd = "contribution.add",
        MembersView = "members.view",
        MemberView = "member.view",
        MemberAdd = "member.add",
        MemberStatusChange = "member.status",
        ComplaintStartReview = "complaint.start_review",
        ComplaintResolve = "complaint.resolve",
        PrivacyReportsView = "privacy_reports.view",
        PrivacyReportInvestigate = "privacy_report.investigate",
        PrivacyReportMarkBreach = "privacy_report.mark_breach",
        PrivacyReportNotified = "privacy_report.notified",
        PrivacyReportAffectedInformed = "privacy_report.affected_informed",
        PrivacyReportClose = "privacy_report.close",
        DataRequestsView = "data_requests.view",
        DataRequestAnswer = "data_request.answer",
        DataRequestExtend = "data_request.extend",
        /// A beneficiary's data deleted on their request.
        BeneficiaryErase = "beneficiary.erase",
        /// A request about one's data recorded by staff for a supporter,
        /// member or volunteer (issue 15).
        DataRequestRecord = "data_request.record",
        /// A supporter's, member's or volunteer's data handed over on their
        /// access request (the reason names who).
        PartyExport = "party.export",
        /// A supporter's, member's or volunteer's data deleted on their request.
        PartyErase = "party.erase",
        DisclosuresView = "disclosures.view",
        /// A disclosure ordered by an authority recorded (B4).
        DisclosureRecord = "disclosure.record",
        ConsentChange = "consent.change",
        NewsSend = "news.send",
        PolicyPublish = "policy.publish",
        /// The audit log itself searched.
        AuditSearch = "audit.search",
        /// A public holiday added to the work calendar (issue 14).
        CalendarHolidayAdd = "calendar.holiday_add",
        CalendarHolidayRemove = "calendar.holiday_remove",
        /// The working hours changed.
        CalendarHoursSet = "calendar.hours_set",
        /// A deadline rule's period, reminder or extension changed.
        CalendarRuleSet = "calendar.rule_set",
        /// A request's possible duplicates looked up (issue 15).
        DuplicatesView = "duplicates.view",
        /// A possible duplicate confirmed (the same person) or dismissed.
        DuplicateDecide = "duplicate.decide",
        /// The volunteer applications were listed (names and mobiles).
        VolunteersView = "volunteer.view",
        /// A volunteer application was accepted or declined.
        VolunteerDecide = "volunteer.decide",
        /// A volunteer staff account was given to an accepted volunteer.
        VolunteerAccount = "volunteer.account",
        /// A volunteer's hours were recorded.
        VolunteerHours = "volunteer.hours",
        /// A household member added, corrected or removed by staff (issue 15).
        HouseholdChange = "household.change",
    }
}
