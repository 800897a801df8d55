//! The results of `selc bench` rendered: a table, `bench.json`, `bench.svg`.

use std::path::Path;

use serde_json::{json, Value};

use super::SizeResult;

/// The JSON report (`bench.json`).
pub fn json_report(
    command: &str,
    name: &str,
    events: usize,
    reference: &[SizeResult],
    theirs: &[SizeResult],
) -> Value {
    json!({
        "selc_version": env!("CARGO_PKG_VERSION"),
        "implementation": {"command": command, "name": name},
        "events_per_size": events,
        "reference": reference,
        "implementation_results": theirs,
    })
}

/// The table people read.
pub fn table(name: &str, reference: &[SizeResult], theirs: &[SizeResult]) -> String {
    let mut out = format!(
        "{:>7}  {:<10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>11}  {}\n",
        "systems", "impl", "load µs", "p50 µs", "p95 µs", "p99 µs", "max µs", "events/s", "answers"
    );
    for (r, t) in reference.iter().zip(theirs) {
        for (label, x) in [("reference", r), (name, t)] {
            let verdict = if x.correct {
                "correct".to_string()
            } else {
                format!("WRONG: {}", x.failure.clone().unwrap_or_default())
            };
            out.push_str(&format!(
                "{:>7}  {:<10} {:>10.0} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>11.0}  {}\n",
                x.systems,
                label.chars().take(10).collect::<String>(),
                x.load_us,
                x.apply.p50_us,
                x.apply.p95_us,
                x.apply.p99_us,
                x.apply.max_us,
                x.events_per_s,
                verdict
            ));
        }
    }
    out
}

/// An SVG plot of the median and 99th-percentile `apply` latency against network
/// size, log-log, for both implementations.
pub fn plot(
    path: &Path,
    name: &str,
    reference: &[SizeResult],
    theirs: &[SizeResult],
) -> Result<(), String> {
    use plotters::prelude::*;
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let all = reference.iter().chain(theirs);
    let max_x = all.clone().map(|r| r.systems).max().unwrap_or(2).max(2) as f64;
    let lat = all
        .flat_map(|r| [r.apply.p50_us, r.apply.p99_us])
        .filter(|v| *v > 0.0);
    let (lo, hi) = lat.fold((f64::MAX, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = if hi > 0.0 {
        (lo / 2.0, hi * 2.0)
    } else {
        (1.0, 10.0)
    };
    let root = SVGBackend::new(path, (800, 500)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption("apply latency against network size", ("sans-serif", 22))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((1.0..max_x * 1.5).log_scale(), (lo..hi).log_scale())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .x_desc("systems")
        .y_desc("µs per apply")
        .draw()
        .map_err(|e| err(&e))?;
    let series: [(&str, &[SizeResult], RGBColor); 2] =
        [("reference", reference, BLUE), (name, theirs, RED)];
    for (label, results, color) in series {
        for (which, pick, dashed) in [
            (
                "p50",
                (|r: &SizeResult| r.apply.p50_us) as fn(&SizeResult) -> f64,
                false,
            ),
            ("p99", |r: &SizeResult| r.apply.p99_us, true),
        ] {
            let points: Vec<(f64, f64)> = results
                .iter()
                .filter(|r| pick(r) > 0.0)
                .map(|r| (r.systems as f64, pick(r)))
                .collect();
            let style = if dashed {
                color.mix(0.5).stroke_width(1)
            } else {
                color.stroke_width(2)
            };
            chart
                .draw_series(LineSeries::new(points.clone(), style))
                .map_err(|e| err(&e))?
                .label(format!("{label} {which}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            chart
                .draw_series(points.iter().map(|&p| Circle::new(p, 3, color.filled())))
                .map_err(|e| err(&e))?;
        }
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))
}
