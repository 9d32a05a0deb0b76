//! "Deadlines kept" on the reports page (issue 14): for each deadline rule and
//! month, how many items were done on time of those done, and how many are late
//! now. Figures only: no member of staff appears, nor who answers for an item.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::{components::table::TableScroll, i18n::*};

/// The deadlines kept over the report's span.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineFigures {
    /// The months in which something with a deadline was done, ascending ("2026-11").
    pub months: Vec<String>,
    /// One per rule with something done in the span or late now, in the rules' order.
    pub rows: Vec<DeadlineRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRow {
    /// The rule's code (`ClockRule::code`).
    pub rule: String,
    /// The rule's name in the report's language.
    pub name: String,
    /// One per month of [`DeadlineFigures::months`].
    pub cells: Vec<DeadlineCell>,
    /// Running items of this rule past their due moment now.
    pub late_now: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineCell {
    pub met: i64,
    pub on_time: i64,
    /// The share on time, whole percent; `None` when nothing was done.
    pub percent: Option<i64>,
}

impl DeadlineFigures {
    /// Whether nothing with a deadline was done in the span.
    pub fn nothing_done(&self) -> bool {
        self.rows.iter().all(|row| row.cells.iter().all(|cell| cell.met == 0))
    }

    /// One line per month and rule with something done, for the downloads:
    /// month, rule code, rule name, done, on time, percent (empty when none).
    pub fn export_rows(&self) -> Vec<[String; 6]> {
        let mut lines = Vec::new();
        for (index, month) in self.months.iter().enumerate() {
            for row in &self.rows {
                let Some(cell) = row.cells.get(index).filter(|cell| cell.met > 0) else { continue };
                lines.push([
                    month.clone(),
                    row.rule.clone(),
                    row.name.clone(),
                    cell.met.to_string(),
                    cell.on_time.to_string(),
                    cell.percent.map(|percent| percent.to_string()).unwrap_or_default(),
                ]);
            }
        }
        lines
    }
}

impl DeadlineCell {
    /// "on time / done (percent)", or a dash when nothing was done.
    pub fn text(&self) -> String {
        match self.percent {
            Some(percent) if self.met > 0 => format!("{} / {} ({percent}%)", self.on_time, self.met),
            _ => "—".to_owned(),
        }
    }
}

/// The table: rules down, months across, each cell "on time / done (percent)",
/// and the count late now; a sentence instead when nothing was done.
#[component]
pub fn DeadlinesKept(figures: DeadlineFigures) -> impl IntoView {
    let i18n = use_i18n();
    let nothing_done = figures.nothing_done();
    let DeadlineFigures { months, rows } = figures;
    view! {
        <section class="card" id="deadlines-kept">
            <h2>{t!(i18n, reports.deadlines.title)}</h2>
            <p class="field__hint">{t!(i18n, reports.deadlines.help)}</p>
            {nothing_done.then(|| view! { <p class="deadlines-kept__none">{t!(i18n, reports.deadlines.none)}</p> })}
            {(!rows.is_empty()).then(|| view! {
                <TableScroll label=move || t_string!(i18n, reports.deadlines.title).to_string()>
                    <table class="report-table figures deadlines-kept">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, reports.deadlines.rule)}</th>
                                {months.into_iter().map(|month| view! {
                                    <th scope="col"><bdi dir="ltr">{month}</bdi></th>
                                }).collect_view()}
                                <th scope="col">{t!(i18n, reports.deadlines.late_now)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr data-rule=row.rule.clone()>
                                    <th scope="row">{row.name.clone()}</th>
                                    {row.cells.iter().map(|cell| view! {
                                        <td><bdi dir="ltr">{cell.text()}</bdi></td>
                                    }).collect_view()}
                                    <td class="report-table__count"><bdi>{row.late_now}</bdi></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            })}
        </section>
    }
}
