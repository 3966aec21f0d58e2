//! Tests of same-story detection on the invented corpus in `testdata/link/`.

use super::*;

#[test]
fn day_ranges_cover_coarse_dates() {
    let day = day_range("2026-03-03").expect("day");
    assert_eq!(day.0, day.1);
    let next = day_range("2026-03-04").expect("day");
    assert_eq!(next.0 - day.0, 1);
    let march = day_range("2026-03").expect("month");
    assert_eq!(march.1 - march.0, 30);
    assert!(march.0 <= day.0 && day.0 <= march.1);
    let year = day_range("2024").expect("year");
    assert_eq!(year.1 - year.0, 365);
    assert_eq!(days_apart(day_range("2026-02-28").expect("d"), day_range("2026-03-01").expect("d")), 1);
    assert_eq!(day_range("soon"), None);
}
