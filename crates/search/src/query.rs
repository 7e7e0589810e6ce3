//! Searching: a `SearchRequest` as a tantivy query, permissions and
//! filters as non-scoring clauses, and the ranking.
//!
//! Every word of the query must match (as a bigram phrase in the title,
//! the text or the context); with the dictionary a whole-word match adds a
//! larger share of the score. Title matches weigh three times a text
//! match, context (the community's name and tags) half. The score is then
//! multiplied by what the ranking favours: communities with more members,
//! recent activity, and events still to come (past events count a third as
//! much as upcoming ones).

use std::collections::HashMap;
use std::ops::Bound;

use tantivy::collector::Count;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};
use tsunagari_domain::Timestamp;
use tsunagari_domain::community::CommunityId;
use tsunagari_domain::search::{DocKey, SearchRequest};

use crate::SearchError;
use crate::analysis::{QueryWord, query_word};
use crate::index::{SearchIndex, tag_key};
use crate::ranking::RankedTop;
use crate::text::{hiragana_to_katakana, is_kana, is_word_char, lower, normalise};

/// One result: which document, and its final score.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The document.
    pub key: DocKey,
    /// Relevance times the ranking factors.
    pub score: f32,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    /// How many documents match in all.
    pub total: usize,
    /// The page asked for, best first.
    pub hits: Vec<Hit>,
}

const TITLE_WEIGHT: f32 = 3.0;
const BODY_WEIGHT: f32 = 1.0;
const CONTEXT_WEIGHT: f32 = 0.5;
/// How much more a whole-word (dictionary) match counts than a bigram one.
const WHOLE_WORD_WEIGHT: f32 = 2.0;

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn term(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

fn phrase(field: Field, terms: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, only)] = terms {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, only),
            IndexRecordOption::WithFreqs,
        ));
    }
    Box::new(PhraseQuery::new_with_offset(
        terms
            .iter()
            .map(|(position, text)| (*position, Term::from_field_text(field, text)))
            .collect(),
    ))
}

fn weighted(query: Box<dyn Query>, weight: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, weight)))
}

/// One query word's clauses: what must match (its bigrams, any field), and
/// the whole-word match that ranks higher when the dictionary is on.
struct WordQuery {
    required: Box<dyn Query>,
    whole_word: Option<Box<dyn Query>>,
}

impl SearchIndex {
    fn word_query(&self, word: &QueryWord) -> Option<WordQuery> {
        let f = &self.fields;
        let fields = [
            (f.title_bigram, TITLE_WEIGHT),
            (f.body_bigram, BODY_WEIGHT),
            (f.context_bigram, CONTEXT_WEIGHT),
        ];
        let required: Vec<(Occur, Box<dyn Query>)> = if let Some(c) = word.single_cjk {
            let folded = crate::text::fold(c);
            let pattern = format!("\\^?{folded}.|\\^?.{folded}|{folded}");
            fields
                .iter()
                .filter_map(|(field, weight)| {
                    RegexQuery::from_pattern(&pattern, *field)
                        .ok()
                        .map(|q| weighted(Box::new(q), *weight))
                })
                .collect()
        } else if word.bigrams.is_empty() {
            return None;
        } else {
            fields
                .iter()
                .map(|(field, weight)| weighted(phrase(*field, &word.bigrams), *weight))
                .collect()
        };
        let whole_word = (!word.morphs.is_empty()).then(|| {
            let clauses: Vec<(Occur, Box<dyn Query>)> = [
                (f.title_morph, TITLE_WEIGHT),
                (f.body_morph, BODY_WEIGHT),
                (f.context_morph, CONTEXT_WEIGHT),
            ]
            .iter()
            .map(|(field, weight)| {
                weighted(phrase(*field, &word.morphs), weight * WHOLE_WORD_WEIGHT)
            })
            .collect();
            Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>
        });
        Some(WordQuery {
            required: Box::new(BooleanQuery::new(required)),
            whole_word,
        })
    }

    fn query(&self, request: &SearchRequest, member_of: &[CommunityId]) -> Box<dyn Query> {
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let text = normalise(&request.text);
        for word in text.split_whitespace() {
            let analysed = query_word(word, self.morphology.as_ref());
            if let Some(WordQuery {
                required,
                whole_word,
            }) = self.word_query(&analysed)
            {
                clauses.push((Occur::Must, required));
                if let Some(whole_word) = whole_word {
                    clauses.push((Occur::Should, whole_word));
                }
            }
        }
        if clauses.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        if let Some(doc_type) = request.doc_type {
            clauses.push(filter(term(f.doc_type, doc_type.as_str())));
        }
        if let Some(kind) = request.kind {
            clauses.push(filter(term(f.kind, kind.as_str())));
        }
        if let Some(prefecture) = request.prefecture {
            clauses.push(filter(term(f.prefecture, prefecture.code())));
        }
        if let Some(tag) = &request.tag {
            clauses.push(filter(term(f.tag, &tag_key(tag))));
        }
        if let Some(online) = request.online {
            clauses.push(filter(term(
                f.format,
                if online { "online" } else { "offline" },
            )));
        }
        if request.from.is_some() || request.to.is_some() {
            let bound = |t: Option<Timestamp>, inclusive: bool| match t {
                Some(t) if inclusive => {
                    Bound::Included(Term::from_field_i64(f.date, t.timestamp()))
                }
                Some(t) => Bound::Excluded(Term::from_field_i64(f.date, t.timestamp())),
                None => Bound::Unbounded,
            };
            clauses.push(filter(Box::new(RangeQuery::new(
                bound(request.from, true),
                bound(request.to, false),
            ))));
        }
        // Public documents, or members-only ones of the searcher's
        // communities: said as "not members-only elsewhere", because
        // skipping the few members-only documents is much cheaper than
        // checking every match against the long list of public ones.
        let members_only: Box<dyn Query> = term(f.audience, "members");
        let hidden: Box<dyn Query> = if member_of.is_empty() {
            members_only
        } else {
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, members_only),
                (
                    Occur::MustNot,
                    Box::new(TermSetQuery::new(
                        member_of
                            .iter()
                            .map(|c| Term::from_field_i64(f.member_community, c.0)),
                    )),
                ),
            ]))
        };
        clauses.push((Occur::MustNot, hidden));
        Box::new(BooleanQuery::new(clauses))
    }

    /// One page of what `request` finds for someone who is an active member
    /// of `member_of` (members-only communities), ranked as of `now`.
    pub fn search(
        &self,
        request: &SearchRequest,
        member_of: &[CommunityId],
        now: Timestamp,
        offset: usize,
        limit: usize,
    ) -> Result<Hits, SearchError> {
        let searcher = self.searcher();
        let query = self.query(request, member_of);
        let top = RankedTop {
            offset,
            limit: limit.max(1),
            now: now.timestamp(),
        };
        let (total, top) = searcher
            .search(&query, &(Count, top))
            .map_err(|e| SearchError::Index(e.to_string()))?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| SearchError::Index(e.to_string()))?;
            let key = doc
                .get_first(self.fields.key)
                .and_then(|v| v.as_str())
                .and_then(DocKey::parse);
            if let Some(key) = key {
                hits.push(Hit { key, score });
            }
        }
        Ok(Hits { total, hits })
    }

    /// How many documents `request` finds for this searcher.
    pub fn count(
        &self,
        request: &SearchRequest,
        member_of: &[CommunityId],
    ) -> Result<usize, SearchError> {
        self.searcher()
            .search(&*self.query(request, member_of), &Count)
            .map_err(|e| SearchError::Index(e.to_string()))
    }

    /// Words of the index's vocabulary close to `word` (Latin words within
    /// one or two edits, kana words within one or two kana), most common
    /// first.
    fn near_words(&self, word: &str) -> Vec<String> {
        let lowered: String = word.chars().map(lower).collect();
        let (probe, length) = if lowered.chars().all(is_word_char) {
            if !lowered.chars().any(char::is_alphabetic) {
                return Vec::new();
            }
            (lowered.clone(), lowered.chars().count())
        } else if lowered.chars().all(is_kana) {
            let katakana: String = lowered.chars().map(hiragana_to_katakana).collect();
            let n = katakana.chars().count();
            (katakana, n)
        } else {
            return Vec::new();
        };
        if length < 3 {
            return Vec::new();
        }
        let searcher = self.searcher();
        for distance in [1u8, 2] {
            if distance == 2 && length < 5 {
                break;
            }
            let mut frequency: HashMap<String, u64> = HashMap::new();
            for segment in searcher.segment_readers() {
                let Ok(inverted) = segment.inverted_index(self.fields.words) else {
                    continue;
                };
                let Ok(automaton) = FuzzyTermQuery::new(
                    Term::from_field_text(self.fields.words, &probe),
                    distance,
                    true,
                )
                .automaton() else {
                    continue;
                };
                let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
                    continue;
                };
                while stream.advance() {
                    if let Ok(found) = std::str::from_utf8(stream.key())
                        && found != probe
                    {
                        *frequency.entry(found.to_owned()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
            }
            if !frequency.is_empty() {
                let mut words: Vec<(String, u64)> = frequency.into_iter().collect();
                words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                return words.into_iter().map(|(w, _)| w).take(5).collect();
            }
        }
        Vec::new()
    }

    /// "Did you mean": when `request` finds nothing, the same search with
    /// its unfound words replaced by close words of the index, if that
    /// finds something this searcher may see.
    pub fn suggest(
        &self,
        request: &SearchRequest,
        member_of: &[CommunityId],
    ) -> Result<Option<String>, SearchError> {
        let text = normalise(&request.text);
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            return Ok(None);
        }
        let mut choices: Vec<Vec<String>> = Vec::with_capacity(words.len());
        let mut changed = false;
        for word in &words {
            let alone = request.with_text(word);
            if self.count(&alone, member_of)? > 0 {
                choices.push(vec![(*word).to_owned()]);
                continue;
            }
            let mut near = Vec::new();
            for candidate in self.near_words(word) {
                if self.count(&request.with_text(&candidate), member_of)? > 0 {
                    near.push(candidate);
                }
            }
            if near.is_empty() {
                return Ok(None);
            }
            changed = true;
            choices.push(near);
        }
        if !changed {
            return Ok(None);
        }
        let suggestion = choices
            .iter()
            .map(|c| c[0].as_str())
            .collect::<Vec<_>>()
            .join(" ");
        if self.count(&request.with_text(&suggestion), member_of)? > 0 {
            Ok(Some(suggestion))
        } else {
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use tantivy::collector::TopDocs;
    use tsunagari_domain::search::{Audience, DocType, SearchDocument};

    use tantivy::{DocId, Score, SegmentReader};

    use super::*;
    use crate::index::{IndexConfig, IndexState};
    use crate::ranking::ranking_factor;

    /// Documents whose relevance and factors vary independently.
    fn varied(n: i64, now: Timestamp) -> Vec<SearchDocument> {
        (0..n)
            .map(|i| SearchDocument {
                key: DocKey::numeric(DocType::Thread, i),
                title: if i % 7 == 0 {
                    "介護の相談".into()
                } else {
                    format!("話題{i}")
                },
                alt_title: None,
                body: "介護 ".repeat(1 + (i % 5) as usize) + "の話",
                context: String::new(),
                url: format!("/threads/{i}"),
                community: Some(CommunityId(1 + i % 4)),
                kind: None,
                prefecture: None,
                tags: Vec::new(),
                format: None,
                starts_at: None,
                ends_at: (i % 3 == 0).then(|| now + Duration::hours(i - n / 2)),
                posted_at: None,
                audience: Audience::Public,
                members: (i as u64 * 37) % 500,
                active_at: (i % 2 == 0).then(|| now - Duration::days(i % 90)),
            })
            .collect()
    }

    /// The collector keeps exactly what scoring every match would: the
    /// same documents, the same order, for every page.
    #[test]
    fn ranked_top_agrees_with_scoring_every_match() {
        let now = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        let index = SearchIndex::open(&IndexConfig {
            dir: None,
            morphology: None,
            writer_memory: 0,
            writer_threads: 1,
        })
        .unwrap();
        let documents = varied(600, now);
        // Several segments, each with its own ceiling.
        for chunk in documents.chunks(150) {
            index.add_new(chunk).unwrap();
            index
                .commit(IndexState {
                    watermark: 0,
                    complete: true,
                })
                .unwrap();
        }
        let searcher = index.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let query = index.query(&SearchRequest::words("介護"), &[]);
        let at = now.timestamp();
        for (offset, limit) in [(0, 1), (0, 10), (10, 10), (35, 20), (590, 20)] {
            let reference = TopDocs::with_limit(limit).and_offset(offset).tweak_score(
                move |segment: &SegmentReader| {
                    let fast = segment.fast_fields();
                    let ends = fast.i64("ends_at").unwrap().first_or_default_col(0);
                    let members = fast.u64("members").unwrap().first_or_default_col(0);
                    let active = fast.i64("active_at").unwrap().first_or_default_col(0);
                    move |doc: DocId, score: Score| {
                        score
                            * ranking_factor(
                                ends.get_val(doc),
                                members.get_val(doc),
                                active.get_val(doc),
                                at,
                            )
                    }
                },
            );
            let expected: Vec<_> = searcher.search(&query, &reference).unwrap();
            let got = searcher
                .search(
                    &query,
                    &crate::ranking::RankedTop {
                        offset,
                        limit,
                        now: at,
                    },
                )
                .unwrap();
            assert_eq!(got.len(), expected.len(), "offset {offset}, limit {limit}");
            for ((got_score, _), (want_score, _)) in got.iter().zip(&expected) {
                assert!(
                    (got_score - want_score).abs() <= want_score * 1e-6,
                    "offset {offset}"
                );
            }
            // Ties at the page's edge may keep either document; above it
            // the same documents are kept.
            let edge = expected.last().map_or(0.0, |(score, _)| *score) * (1.0 + 1e-6);
            let above = |page: &[(Score, tantivy::DocAddress)]| {
                let mut docs: Vec<_> = page
                    .iter()
                    .filter(|(s, _)| *s > edge)
                    .map(|(_, d)| *d)
                    .collect();
                docs.sort();
                docs
            };
            assert_eq!(
                above(&got),
                above(&expected),
                "offset {offset}, limit {limit}"
            );
            assert!(!above(&expected).is_empty() || limit == 1 || offset > 500);
        }
    }
}
