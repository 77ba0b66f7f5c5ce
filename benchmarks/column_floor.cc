#include "column_floor.h"

#include <thread>
#include <vector>

namespace tellus::bench {
namespace {

// Sums every element of a column (vectorised by the compiler).
template <typename T>
uint64_t SumColumn(const std::vector<T>& column, size_t begin, size_t end) {
  uint64_t sum = 0;
  for (size_t i = begin; i < end; ++i) sum += static_cast<uint64_t>(column[i]);
  return sum;
}

// The kernels read an event's day; its seen_from only for an event on the
// as-of day (EventColumn::SeenDay), so the floor does not count that column.
uint64_t SumEvents(const EventColumn& e, size_t begin, size_t end) {
  return SumColumn(e.day, begin, end);
}

}  // namespace

uint64_t ReadReportColumnsPart(const Dataset& data, size_t part, size_t parts) {
  const CaseTable& c = data.cases();
  const size_t cb = c.size() * part / parts;
  const size_t ce = c.size() * (part + 1) / parts;
  uint64_t sum = SumColumn(c.cell, cb, ce) + SumColumn(c.type, cb, ce);
  for (const EventColumn* e :
       {&c.received, &c.s1_acknowledged, &c.s1_extended_to, &c.s1_responded,
        &c.s2_requested, &c.s2_acknowledged, &c.s2_extended_to, &c.s2_responded,
        &c.withdrawn, &c.ombudsman_referred, &c.ombudsman_decided,
        &c.first_lesson}) {
    sum += SumEvents(*e, cb, ce);
  }
  sum += SumColumn(c.s1_outcome, cb, ce) + SumColumn(c.s2_outcome, cb, ce) +
         SumColumn(c.ombudsman_body, cb, ce) +
         SumColumn(c.ombudsman_decision, cb, ce) +
         SumColumn(c.remedy_pence, cb, ce);
  const InteractionTable& t = data.interactions();
  const size_t ib = t.size() * part / parts;
  const size_t ie = t.size() * (part + 1) / parts;
  sum += SumColumn(t.day, ib, ie) + SumColumn(t.cell, ib, ie);
  const size_t links = t.linked_row.size();
  const size_t lb = links * part / parts;
  const size_t le = links * (part + 1) / parts;
  sum += SumColumn(t.linked_row, lb, le) + SumColumn(t.linked_case, lb, le) +
         SumColumn(t.linked_kind, lb, le);
  return sum;
}

uint64_t ReadReportColumns(const Dataset& data, int threads) {
  if (threads <= 1) return ReadReportColumnsPart(data, 0, 1);
  // As the report shares its work: the calling thread takes a part too.
  const size_t parts = static_cast<size_t>(threads);
  std::vector<uint64_t> sums(parts);
  std::vector<std::thread> helpers;
  for (size_t i = 1; i < parts; ++i) {
    helpers.emplace_back(
        [&, i] { sums[i] = ReadReportColumnsPart(data, i, parts); });
  }
  sums[0] = ReadReportColumnsPart(data, 0, parts);
  uint64_t sum = 0;
  for (std::thread& helper : helpers) helper.join();
  for (const uint64_t s : sums) sum += s;
  return sum;
}

}  // namespace tellus::bench
