//! Calendar arithmetic on `jiff::civil::Date` for resolving date phrases against an anchor,
//! and the ISO strings the model stores (`2024-12-11`, `2024-12`, `2024`, `start/end`).
//!
//! Pure functions only; it must not know any words of the text.

use jiff::civil::Date;
use jiff::Span;

/// A calendar unit a relative phrase counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CalUnit {
    Day,
    Week,
    Fortnight,
    Month,
    Year,
    Decade,
}

impl CalUnit {
    pub fn parse(s: &str) -> Option<CalUnit> {
        Some(match s {
            "day" => CalUnit::Day,
            "week" => CalUnit::Week,
            "fortnight" => CalUnit::Fortnight,
            "month" => CalUnit::Month,
            "year" => CalUnit::Year,
            "decade" => CalUnit::Decade,
            _ => return None,
        })
    }
}

pub(crate) fn ymd(y: i32, m: i32, d: i32) -> Option<Date> {
    Date::new(i16::try_from(y).ok()?, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

pub(crate) fn iso_month(y: i32, m: i32) -> String {
    format!("{y:04}-{m:02}")
}

pub(crate) fn iso_year(y: i32) -> String {
    format!("{y:04}")
}

pub(crate) fn range(a: &str, b: &str) -> String {
    format!("{a}/{b}")
}

pub(crate) fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().days(n)).ok()
}

pub(crate) fn add_months(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().months(n)).ok()
}

/// Monday of the ISO week holding `d`.
pub(crate) fn week_start(d: Date) -> Option<Date> {
    add_days(d, -i64::from(d.weekday().to_monday_zero_offset()))
}

/// "Mon/Sun" of the week `offset` weeks from the anchor's.
pub(crate) fn week_range(anchor: Date, offset: i64) -> Option<String> {
    let start = add_days(week_start(anchor)?, 7 * offset)?;
    let end = add_days(start, 6)?;
    Some(range(&start.to_string(), &end.to_string()))
}

/// The most recent `weekday` (1 = Monday) strictly before the anchor.
pub(crate) fn previous_weekday(anchor: Date, weekday: i8) -> Option<Date> {
    let today = anchor.weekday().to_monday_one_offset();
    let mut back = i64::from(today - weekday);
    if back <= 0 {
        back += 7;
    }
    add_days(anchor, -back)
}

/// The next `weekday` strictly after the anchor.
pub(crate) fn next_weekday(anchor: Date, weekday: i8) -> Option<Date> {
    let today = anchor.weekday().to_monday_one_offset();
    let mut ahead = i64::from(weekday - today);
    if ahead <= 0 {
        ahead += 7;
    }
    add_days(anchor, ahead)
}

/// `weekday` in the anchor's own week.
pub(crate) fn weekday_this_week(anchor: Date, weekday: i8) -> Option<Date> {
    add_days(week_start(anchor)?, i64::from(weekday - 1))
}

/// Year of a month/day written without one: the anchor's year, or the year before when that
/// would put the date more than `slack_days` after the anchor (news reports the past).
pub(crate) fn recent_year_for(anchor: Date, month: i32, day: i32, slack_days: i64) -> i32 {
    let y = i32::from(anchor.year());
    let day = day.clamp(1, 28);
    match (ymd(y, month, day), add_days(anchor, slack_days)) {
        (Some(d), Some(limit)) if d > limit => y - 1,
        _ => y,
    }
}

/// The anchor moved by `n` units: a day for days, weeks and months ("two months ago"), a
/// year for years and decades, where a day would be false precision.
pub(crate) fn shifted(anchor: Date, unit: CalUnit, n: i64) -> Option<String> {
    Some(match unit {
        CalUnit::Day => add_days(anchor, n)?.to_string(),
        CalUnit::Week => add_days(anchor, 7 * n)?.to_string(),
        CalUnit::Fortnight => add_days(anchor, 14 * n)?.to_string(),
        CalUnit::Month => add_months(anchor, n)?.to_string(),
        CalUnit::Year => iso_year(i32::from(anchor.year()) + i32::try_from(n).ok()?),
        CalUnit::Decade => iso_year(i32::from(anchor.year()) + 10 * i32::try_from(n).ok()?),
    })
}

/// The calendar unit `offset` units from the anchor's ("last month" = -1, "this year" = 0).
pub(crate) fn calendar_unit(anchor: Date, unit: CalUnit, offset: i64) -> Option<String> {
    match unit {
        CalUnit::Day => Some(add_days(anchor, offset)?.to_string()),
        CalUnit::Week => week_range(anchor, offset),
        CalUnit::Fortnight => None,
        CalUnit::Month => {
            let d = add_months(anchor, offset)?;
            Some(iso_month(i32::from(d.year()), i32::from(d.month())))
        }
        CalUnit::Year => shifted(anchor, CalUnit::Year, offset),
        CalUnit::Decade => {
            let start = (i32::from(anchor.year()) / 10 + i32::try_from(offset).ok()?) * 10;
            Some(range(&iso_year(start), &iso_year(start + 9)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    #[test]
    fn weekdays_before_and_after() {
        // 2025-02-06 is a Thursday
        assert_eq!(previous_weekday(d("2025-02-06"), 1), Some(d("2025-02-03")));
        assert_eq!(previous_weekday(d("2025-02-06"), 4), Some(d("2025-01-30")));
        assert_eq!(next_weekday(d("2025-02-06"), 5), Some(d("2025-02-07")));
        assert_eq!(week_range(d("2025-02-06"), -1).as_deref(), Some("2025-01-27/2025-02-02"));
    }

    #[test]
    fn partial_dates_take_the_recent_year() {
        assert_eq!(recent_year_for(d("2025-02-06"), 12, 11, 7), 2024);
        assert_eq!(recent_year_for(d("2025-02-06"), 2, 10, 7), 2025);
        assert_eq!(recent_year_for(d("2025-02-06"), 2, 20, 7), 2024);
    }

    #[test]
    fn shifts_keep_the_unit_granularity() {
        assert_eq!(shifted(d("2024-03-15"), CalUnit::Month, -2).as_deref(), Some("2024-01-15"));
        assert_eq!(shifted(d("2024-03-15"), CalUnit::Year, -3).as_deref(), Some("2021"));
        assert_eq!(calendar_unit(d("2024-01-15"), CalUnit::Month, -1).as_deref(), Some("2023-12"));
        assert_eq!(calendar_unit(d("2024-01-15"), CalUnit::Decade, 0).as_deref(), Some("2020/2029"));
    }
}
