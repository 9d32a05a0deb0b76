//! Demo data for trying Awn out (`awn serve --demo-data`). Idempotent: running it
//! again updates the same rows instead of adding copies.

use crate::{
    Database, StorageResult,
    support_kinds::{self, SupportKindInput},
};

/// (code, Arabic name, English name, Arabic description, English description)
const SUPPORT_KINDS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "food_basket",
        "سلة غذائية",
        "Food basket",
        "سلال غذائية شهرية للأسر المحتاجة.",
        "Monthly food baskets for families in need.",
    ),
    (
        "rent",
        "المساعدة في الإيجار",
        "Help with rent",
        "مساهمة في إيجار السكن للأسر المتعثرة.",
        "A contribution to the rent of families who are behind on it.",
    ),
    (
        "bills",
        "سداد الفواتير",
        "Paying bills",
        "سداد فواتير الكهرباء والماء المتأخرة.",
        "Paying overdue electricity and water bills.",
    ),
    (
        "medical",
        "الدعم العلاجي",
        "Medical support",
        "المساعدة في تكاليف العلاج والأدوية والأجهزة الطبية.",
        "Help with the cost of treatment, medicine and medical devices.",
    ),
    (
        "education",
        "الدعم التعليمي",
        "Education support",
        "الحقيبة المدرسية والرسوم الدراسية والأجهزة التعليمية.",
        "School bags, tuition fees and learning devices.",
    ),
    (
        "home_appliances",
        "الأجهزة المنزلية",
        "Home appliances",
        "توفير الأجهزة المنزلية الأساسية كالثلاجة والمكيف.",
        "Basic home appliances such as a fridge or an air conditioner.",
    ),
];

pub async fn seed(db: &Database) -> StorageResult<()> {
    for (order, (code, name_ar, name_en, description_ar, description_en)) in SUPPORT_KINDS.iter().enumerate() {
        support_kinds::upsert(
            db,
            SupportKindInput {
                code,
                name_ar,
                name_en,
                description_ar,
                description_en,
                active: true,
                sort_order: order as i64,
            },
        )
        .await?;
    }
    tracing::info!(kinds = SUPPORT_KINDS.len(), "demo data in place");
    Ok(())
}
