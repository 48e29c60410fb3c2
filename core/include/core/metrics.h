// A small thread-safe Prometheus registry: counters, gauges and histograms with fixed label sets,
// rendered in the text exposition format for /metrics.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace core {

class Metrics {
 public:
  // Labels are given as a pre-rendered string such as `verdict="AC"` (empty for none).
  void inc(const std::string& name, const std::string& labels = "", double by = 1);
  void set(const std::string& name, const std::string& labels, double value);
  void observe(const std::string& name, const std::string& labels, double value);
  // Declares help text and type ("counter", "gauge", "histogram"); histograms take bucket bounds.
  void describe(const std::string& name, const std::string& type, const std::string& help,
                std::vector<double> buckets = {});
  std::string render() const;

 private:
  struct Family {
    std::string type, help;
    std::vector<double> buckets;
    std::map<std::string, double> values;                   // counter/gauge by labels
    std::map<std::string, std::vector<double>> histograms;  // bucket counts + sum + count
  };
  Family& family(const std::string& name);
  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace core
