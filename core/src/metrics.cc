#include "core/metrics.h"

#include <cmath>
#include <sstream>

namespace core {

Metrics::Family& Metrics::family(const std::string& name) { return families_[name]; }

void Metrics::describe(const std::string& name, const std::string& type, const std::string& help,
                       std::vector<double> buckets) {
  std::lock_guard lock(mutex_);
  auto& f = family(name);
  f.type = type;
  f.help = help;
  f.buckets = std::move(buckets);
}

void Metrics::inc(const std::string& name, const std::string& labels, double by) {
  std::lock_guard lock(mutex_);
  family(name).values[labels] += by;
}

void Metrics::set(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mutex_);
  family(name).values[labels] = value;
}

void Metrics::observe(const std::string& name, const std::string& labels, double value) {
  std::lock_guard lock(mutex_);
  auto& f = family(name);
  auto& h = f.histograms[labels];
  if (h.empty()) h.assign(f.buckets.size() + 2, 0.0);  // buckets..., sum, count
  for (size_t i = 0; i < f.buckets.size(); ++i)
    if (value <= f.buckets[i]) h[i] += 1;
  h[f.buckets.size()] += value;
  h[f.buckets.size() + 1] += 1;
}

namespace {
std::string with_labels(const std::string& labels, const std::string& extra) {
  if (labels.empty() && extra.empty()) return "";
  if (labels.empty()) return "{" + extra + "}";
  if (extra.empty()) return "{" + labels + "}";
  return "{" + labels + "," + extra + "}";
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  for (const auto& [name, f] : families_) {
    if (!f.help.empty()) out << "# HELP " << name << " " << f.help << "\n";
    if (!f.type.empty()) out << "# TYPE " << name << " " << f.type << "\n";
    for (const auto& [labels, value] : f.values) out << name << with_labels(labels, "") << " " << value << "\n";
    for (const auto& [labels, h] : f.histograms) {
      for (size_t i = 0; i < f.buckets.size(); ++i) {
        std::ostringstream le;
        le << "le=\"" << f.buckets[i] << "\"";
        out << name << "_bucket" << with_labels(labels, le.str()) << " " << h[i] << "\n";
      }
      double count = h[f.buckets.size() + 1];
      out << name << "_bucket" << with_labels(labels, "le=\"+Inf\"") << " " << count << "\n";
      out << name << "_sum" << with_labels(labels, "") << " " << h[f.buckets.size()] << "\n";
      out << name << "_count" << with_labels(labels, "") << " " << count << "\n";
    }
  }
  return out.str();
}

}  // namespace core
