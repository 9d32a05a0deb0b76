//! Small SVG line charts of a figure by month, drawn on the server by
//! `plotters` (no font library: the browser lays out the labels, Arabic
//! included). The page wraps them in `dir="ltr"`: time runs left to right on
//! the axis, while every label keeps its own direction.

use plotters::prelude::*;

const WIDTH: u32 = 560;
const HEIGHT: u32 = 240;
const BRAND: RGBColor = RGBColor(0x0b, 0x6e, 0x4f);

/// A line of `points` (label, value) over `range`, with the y labels written
/// by `unit`. `None` when there are fewer than two points or drawing fails:
/// the page then shows the table alone.
pub fn line_chart(
    points: &[(String, f64)],
    range: std::ops::Range<f64>,
    caption: &str,
    unit: &dyn Fn(&f64) -> String,
) -> Option<String> {
    if points.len() < 2 {
        return None;
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let last = points.len() - 1;
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(48)
            .build_cartesian_2d(0..last, range)
            .ok()?;
        // At most six month labels, so they never run into each other.
        let step = points.len().div_ceil(6);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .x_labels(points.len())
            .x_label_formatter(&|index| {
                if index % step == 0 || *index == last {
                    points.get(*index).map(|(label, _)| label.clone()).unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_labels(5)
            .y_label_formatter(unit)
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(points.iter().enumerate().map(|(i, (_, v))| (i, *v)), BRAND.stroke_width(2)))
            .ok()?;
        chart.draw_series(points.iter().enumerate().map(|(i, (_, v))| Circle::new((i, *v), 4, BRAND.filled()))).ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_svg_with_its_labels_as_text() {
        let points = vec![("2026-10".to_string(), 62.5), ("2026-11".to_string(), 80.0)];
        let svg = line_chart(&points, 0.0..100.0, "نسبة الرضا", &|v| format!("{v:.0}%")).expect("drawn");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("نسبة الرضا"));
        assert!(svg.contains("2026-11"));
        assert!(line_chart(&points[..1], 0.0..100.0, "x", &|v| v.to_string()).is_none(), "one point is no line");
    }
}
