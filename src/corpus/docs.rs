//! The per-document table kept in memory for a run: ids, where each document is,
//! and its size. Texts are not kept (they are re-read when needed).

use crate::DocIndex;

/// Ids (in one arena), locations and word counts of the documents of a run.
#[derive(Debug, Default, Clone)]
pub struct DocTable {
    ids: String,
    ends: Vec<usize>,
    source: Vec<u32>,
    line: Vec<u64>,
    offset: Vec<u64>,
    words: Vec<u32>,
    /// Values of the read options' extra field, by document; empty when it was not
    /// asked for.
    fields: Vec<Option<Box<str>>>,
    /// Dates (seconds since the Unix epoch, UTC), by document; empty when none was
    /// set ([`DocTable::set_date`]).
    dates: Vec<Option<i64>>,
}

impl DocTable {
    /// Appends a document; returns its index.
    pub fn push(
        &mut self,
        id: &str,
        source: u32,
        line: u64,
        offset: u64,
        words: usize,
    ) -> DocIndex {
        let idx = self.ends.len() as DocIndex;
        self.ids.push_str(id);
        self.ends.push(self.ids.len());
        self.source.push(source);
        self.line.push(line);
        self.offset.push(offset);
        self.words.push(words.min(u32::MAX as usize) as u32);
        idx
    }

    /// Sets the extra field's value of document `i` (see
    /// [`super::ReadOptions::extra_field`]); documents never set have none.
    pub fn set_field(&mut self, i: DocIndex, value: Option<&str>) {
        let i = i as usize;
        if value.is_none() && i >= self.fields.len() {
            return;
        }
        if self.fields.len() <= i {
            self.fields.resize(i + 1, None);
        }
        self.fields[i] = value.map(Into::into);
    }

    /// Sets the date of document `i` (seconds since the Unix epoch, UTC; the
    /// persistent index's dates); documents never set have none.
    pub fn set_date(&mut self, i: DocIndex, date: Option<i64>) {
        let i = i as usize;
        if date.is_none() && i >= self.dates.len() {
            return;
        }
        if self.dates.len() <= i {
            self.dates.resize(i + 1, None);
        }
        self.dates[i] = date;
    }

    /// The date of document `i`, when one was set.
    pub fn date(&self, i: DocIndex) -> Option<i64> {
        self.dates.get(i as usize).copied().flatten()
    }

    /// The id of whichever of `a` and `b` has the earlier date; `None` when either has
    /// no date or the dates are equal.
    pub fn earlier(&self, a: DocIndex, b: DocIndex) -> Option<&str> {
        match (self.date(a), self.date(b)) {
            (Some(x), Some(y)) if x < y => Some(self.id(a)),
            (Some(x), Some(y)) if y < x => Some(self.id(b)),
            _ => None,
        }
    }

    /// The extra field's value of document `i`, when it was read and the record had
    /// one.
    pub fn field(&self, i: DocIndex) -> Option<&str> {
        self.fields.get(i as usize).and_then(|f| f.as_deref())
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id of document `i`.
    pub fn id(&self, i: DocIndex) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.ids[start..self.ends[i]]
    }

    /// Source index and line of document `i`.
    pub fn location(&self, i: DocIndex) -> (u32, u64) {
        (self.source[i as usize], self.line[i as usize])
    }

    /// Byte offset of document `i` in its (decompressed) source.
    pub fn offset(&self, i: DocIndex) -> u64 {
        self.offset[i as usize]
    }

    /// Word count of document `i`.
    pub fn words(&self, i: DocIndex) -> u32 {
        self.words[i as usize]
    }

    /// Bytes held per document, excluding the id text itself.
    pub const fn fixed_bytes_per_document() -> usize {
        std::mem::size_of::<usize>() + 4 + 8 + 8 + 4
    }

    /// The first pair of documents sharing an id, in id order, if any.
    pub fn find_duplicate_id(&self) -> Option<(DocIndex, DocIndex)> {
        let mut order: Vec<DocIndex> = (0..self.len() as DocIndex).collect();
        order.sort_unstable_by(|&a, &b| self.id(a).cmp(self.id(b)).then(a.cmp(&b)));
        order
            .windows(2)
            .find(|w| self.id(w[0]) == self.id(w[1]))
            .map(|w| (w[0], w[1]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_ids_and_finds_duplicates() {
        let mut t = DocTable::default();
        t.push("b", 0, 1, 0, 10);
        t.push("a", 0, 2, 9, 20);
        assert_eq!(t.id(0), "b");
        assert_eq!(t.id(1), "a");
        assert_eq!(t.find_duplicate_id(), None);
        t.push("b", 1, 0, 0, 5);
        assert_eq!(t.find_duplicate_id(), Some((0, 2)));
        assert_eq!(t.location(2), (1, 0));
        assert_eq!(t.words(1), 20);
        assert_eq!(t.field(1), None);
        t.set_field(1, Some("2024"));
        t.set_field(2, None);
        assert_eq!(
            (t.field(0), t.field(1), t.field(2)),
            (None, Some("2024"), None)
        );
    }
}
