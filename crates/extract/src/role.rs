//! Roles: which person holds which title, for which organisation.
//!
//! Three shapes, read off the entity mentions of a sentence and the title list of
//! `resources/role/titles.txt`:
//! * `[ORG] TITLE PERSON` — "Quds Force commander Esmail Qaani", "President Vladimir Putin";
//! * `PERSON, [the|a] [ORG|X's] TITLE [in|of ORG]` — "Ali Saeedi, Khamenei's representative in
//!   the IRGC", "Esmail Qaani, the current Quds Force commander";
//! * `the TITLE of ORG, PERSON` — "the commander of the Quds Force, Qassem Soleimani".
//!
//! This module must not create entities or attributions; roles carry canonical entity names.

use std::ops::Range;

use crosscheck_model::{EntityType, Role};
use crosscheck_text::CharMap;

use crate::entity::{EntityRecognizer, EntityResult, MentionRef};
use crate::{DocText, ExtractError};

pub struct RoleRecognizer {}

impl RoleRecognizer {
    pub fn new() -> Result<Self, ExtractError> {
        Ok(RoleRecognizer {})
    }

    pub fn find(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        found: &EntityResult,
        lexicon: &EntityRecognizer,
        map: &CharMap,
    ) -> Vec<Role> {
        self.find_in(&DocText::with_sentences(text, sentences), found, lexicon, map)
    }

    /// [`find`](Self::find) over a document segmented and tokenised once for all stages: the
    /// words before and after a name are read from its word stream.
    pub fn find_in(&self, doc: &DocText, found: &EntityResult, lexicon: &EntityRecognizer, map: &CharMap) -> Vec<Role> {
        let mut out = Vec::new();
        let mut mentions: Vec<&MentionRef> = Vec::new();
        for s in &doc.sentences {
            mentions.clear();
            mentions.extend(found.mentions_within(s.start, s.end));
            for (i, m) in mentions.iter().enumerate() {
                let entity = &found.entities[m.entity];
                if entity.kind != EntityType::Person {
                    continue;
                }
                if let Some(role) = title_before(doc, s.start, m, &mentions[..i], found, lexicon, map) {
                    out.push(role);
                } else if let Some(role) = appositive_after(doc, s.end, m, &mentions[i + 1..], found, lexicon, map) {
                    out.push(role);
                } else if let Some(role) = title_of_org_before(doc, s.start, m, &mentions[..i], found, lexicon, map) {
                    out.push(role);
                }
            }
        }
        out.sort_by_key(|r| r.span.start);
        out.dedup_by(|a, b| a.person == b.person && a.role == b.role && a.organization == b.organization);
        out
    }
}

fn organization_name(found: &EntityResult, m: &MentionRef) -> Option<String> {
    let e = &found.entities[m.entity];
    (e.kind != EntityType::Person).then(|| e.name.clone())
}

/// `[ORG] TITLE PERSON`
fn title_before(
    doc: &DocText,
    sentence_start: usize,
    m: &MentionRef,
    before: &[&MentionRef],
    found: &EntityResult,
    lexicon: &EntityRecognizer,
    map: &CharMap,
) -> Option<Role> {
    let text = doc.text;
    let words = doc.words.words_of(text, sentence_start..m.start);
    // Titles stack ("Supreme Leader Ayatollah"): take them back one by one, longest first.
    let mut best = 0;
    loop {
        let end = words.len() - best;
        let found = (1..=end.min(4)).rev().find(|&k| lexicon.title_prefix_len(&words[end - k..end]) == k);
        match found {
            Some(k) => best += k,
            None => break,
        }
    }
    if best == 0 {
        return None;
    }
    let first = &words[words.len() - best];
    let last = &words[words.len() - 1];
    let title_start = first.start;
    let role = text[title_start..last.end].to_string();
    // the title must touch the name (spaces or "Gen. ")
    let gap = text.get(last.end..m.start)?;
    if !gap.trim_start_matches('.').trim().is_empty() {
        return None;
    }
    let org = before.iter().rev().find(|o| {
        // An organisation mention overlapping the title (o.end > title_start) is not "before" it.
        let Some(between) = text.get(o.end..title_start) else { return false };
        between.trim().is_empty() || between == "’s " || between == "'s "
    });
    let start = org.map_or(title_start, |o| o.start);
    Some(Role {
        person: found.entities[m.entity].name.clone(),
        role,
        organization: org.and_then(|o| organization_name(found, o)),
        span: map.span(start, m.end),
        rule: "title-before-name".into(),
    })
}

/// `PERSON, [the] [ORG] TITLE [of|in ORG]`
fn appositive_after(
    doc: &DocText,
    sentence_end: usize,
    m: &MentionRef,
    after: &[&MentionRef],
    found: &EntityResult,
    lexicon: &EntityRecognizer,
    map: &CharMap,
) -> Option<Role> {
    let text = doc.text;
    let rest = &text[m.end..sentence_end];
    let body = rest.strip_prefix(", ")?;
    let body_start = m.end + 2;
    let end = body.find([',', '.', ';', ':', '“', '"']).unwrap_or(body.len());
    let clause = &body[..end];
    let words = doc.words.words_of(text, body_start..body_start + end);
    if words.len() > 12 {
        return None;
    }
    let mut role_range: Option<(usize, usize)> = None;
    for (i, w) in words.iter().enumerate() {
        if crosscheck_text::with_lowercase(w.text, |l| lexicon.is_title_word(l)) {
            let mut j = i;
            while j + 1 < words.len()
                && crosscheck_text::with_lowercase(words[j + 1].text, |l| lexicon.is_title_word(l))
            {
                j += 1;
            }
            role_range = Some((words[i].start - body_start, words[j].end - body_start));
            break;
        }
    }
    let (rs, re) = role_range?;
    // "..., one of the aides of leader X": the role is X's, not this person's.
    let role_owner_follows = after.iter().any(|o| {
        o.start >= body_start + re
            && found.entities[o.entity].kind == EntityType::Person
            && doc.words.words_of(text, body_start + re..o.start).len() <= 1
    });
    if role_owner_follows {
        return None;
    }
    let clause_end = body_start + end;
    let org = after
        .iter()
        .filter(|o| o.start >= body_start && o.end <= clause_end)
        .find(|o| found.entities[o.entity].kind == EntityType::Organization)
        .or_else(|| {
            after
                .iter()
                .filter(|o| o.start >= body_start && o.end <= clause_end)
                .find(|o| found.entities[o.entity].kind == EntityType::Location)
        });
    Some(Role {
        person: found.entities[m.entity].name.clone(),
        role: clause[rs..re].to_string(),
        organization: org.and_then(|o| organization_name(found, o)),
        span: map.span(m.start, clause_end),
        rule: "appositive".into(),
    })
}

/// `the TITLE of ORG, PERSON`
fn title_of_org_before(
    doc: &DocText,
    sentence_start: usize,
    m: &MentionRef,
    before: &[&MentionRef],
    found: &EntityResult,
    lexicon: &EntityRecognizer,
    map: &CharMap,
) -> Option<Role> {
    let text = doc.text;
    let org = before.last()?;
    let between = &text[org.end..m.start];
    if between.trim() != "," {
        return None;
    }
    let words = doc.words.words_of(text, sentence_start..org.start);
    let n = words.len();
    // "... commander of the X," / "... commander of X,"
    let of_at = if n >= 2 && words[n - 1].text.eq_ignore_ascii_case("the") { n - 2 } else { n.checked_sub(1)? };
    if !words.get(of_at)?.text.eq_ignore_ascii_case("of") || of_at == 0 {
        return None;
    }
    let title = &words[of_at - 1];
    if !crosscheck_text::with_lowercase(title.text, |l| lexicon.is_title_word(l)) {
        return None;
    }
    Some(Role {
        person: found.entities[m.entity].name.clone(),
        role: title.text.to_string(),
        organization: organization_name(found, org),
        span: map.span(title.start, m.end),
        rule: "title-of-org".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crosscheck_text::sentences;

    fn roles(text: &str) -> Vec<Role> {
        let verbs = ["said"].iter().map(|s| s.to_string()).collect();
        let ents = EntityRecognizer::new(verbs).expect("entities load");
        let map = CharMap::new(text);
        let sents = sentences(text);
        let found = ents.find(text, &sents, &map);
        RoleRecognizer::new().expect("roles").find(text, &sents, &found, &ents, &map)
    }

    #[test]
    fn bylines_and_overlapping_titles_do_not_panic() {
        for text in [
            "By Mira Kowal · 2026-04-25\nHalden Cells chief executive Daniel Okafor said so.",
            "Regional President Lucia Montanari of the Regional Council spoke.",
            "Council President · Mira Kowal said.",
        ] {
            for r in roles(text) {
                assert!(r.span.start <= r.span.end, "{r:?}");
            }
        }
    }

    #[test]
    fn org_title_person() {
        let text = "Hezbollah commander Omar Haddad was seen.";
        let r = roles(text);
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].person, "Omar Haddad");
        assert_eq!(r[0].role, "commander");
        assert_eq!(r[0].organization.as_deref(), Some("Hezbollah"));
        assert_eq!(crosscheck_text::slice_chars(text, r[0].span), "Hezbollah commander Omar Haddad");
    }

    #[test]
    fn stacked_titles_form_one_role() {
        let r = roles("Supreme Leader Ayatollah Ali Khamenei spoke.");
        assert_eq!(r[0].role, "Supreme Leader Ayatollah");
    }

    #[test]
    fn an_appositive_naming_someone_else_is_not_a_role() {
        let r = roles("Karim Nasser, an aide to President Vladimir Putin, spoke.");
        assert!(r.iter().all(|x| x.person != "Karim Nasser" || x.role != "President"), "{r:#?}");
    }

    #[test]
    fn title_without_org() {
        let r = roles("President Vladimir Putin spoke.");
        assert_eq!(r[0].person, "Vladimir Putin");
        assert_eq!(r[0].role, "President");
        assert_eq!(r[0].organization, None);
    }

    #[test]
    fn appositive_with_org() {
        let r = roles("Karim Nasser, the current NATO spokesman, spoke.");
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].person, "Karim Nasser");
        assert_eq!(r[0].role, "spokesman");
        assert_eq!(r[0].organization.as_deref(), Some("NATO"));
    }

    #[test]
    fn title_of_org_then_person() {
        let r = roles("Troops followed the commander of the Quds Force, Karim Nasser.");
        assert_eq!(r.len(), 1, "{r:#?}");
        assert_eq!(r[0].role, "commander");
        assert_eq!(r[0].organization.as_deref(), Some("Quds Force"));
    }

    #[test]
    fn acronym_org_chief_person() {
        let text = "On Friday NATO chief Jens Olsen met reporters in Brussels.";
        let r = roles(text);
        let role = r.iter().find(|x| x.person == "Jens Olsen").expect("role for Jens Olsen");
        assert_eq!(role.role, "chief");
        assert_eq!(role.organization.as_deref(), Some("NATO"));
        assert_eq!(crosscheck_text::slice_chars(text, role.span), "NATO chief Jens Olsen");
    }

    #[test]
    fn possessive_representative_in_org() {
        let r = roles("Omar Haddad, Putin's representative in the Wagner Group, spoke on Monday.");
        let role = r.iter().find(|x| x.person == "Omar Haddad").expect("role for Omar Haddad");
        assert_eq!(role.role, "representative");
        assert_eq!(role.organization.as_deref(), Some("Wagner Group"));
    }
}
