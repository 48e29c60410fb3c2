#include "test_env.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <cstdlib>
#include <pqxx/pqxx>
#include <sstream>
#include <stdexcept>

#include "core/migrate.h"

namespace testenv {
namespace {

std::string env_or_fail(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value)
    throw std::runtime_error(std::string(name) +
                             " is not set: run the tests through scripts/test, which starts "
                             "throwaway Postgres and Redis servers");
  return value;
}

// postgresql://user@host:port/db -> same URL with another database name.
std::string with_database(const std::string& url, const std::string& name) {
  auto slash = url.rfind('/');
  return url.substr(0, slash + 1) + name;
}

// True once raw holds the headers and the whole body (Content-Length or a final chunk).
bool response_complete(const std::string& raw) {
  auto header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos) return false;
  std::string head = raw.substr(0, header_end);
  for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto length_at = head.find("content-length:");
  if (length_at != std::string::npos)
    return raw.size() >= header_end + 4 + std::stoul(head.substr(length_at + 15));
  if (head.find("transfer-encoding: chunked") != std::string::npos)
    return raw.find("\r\n0\r\n\r\n", header_end) != std::string::npos;
  return false;  // No length: the server closes the connection.
}

}  // namespace

std::string database_url() { return env_or_fail("TEST_DATABASE_URL"); }
std::string redis_url() { return env_or_fail("TEST_REDIS_URL"); }
core::RedisAddress redis_address() {
  auto address = core::parse_redis_url(redis_url());
  if (!address) throw std::runtime_error("TEST_REDIS_URL is malformed");
  return *address;
}
std::string source_dir() { return JUDGE_SOURCE_DIR; }

FreshDatabase::FreshDatabase() {
  static std::atomic<int> counter{0};
  name_ = "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  pqxx::connection admin(database_url());
  pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_);
  pqxx::nontransaction(admin).exec("CREATE DATABASE " + name_);
  url_ = with_database(database_url(), name_);
  core::migrate(url_, source_dir() + "/migrations", [](const std::string&) {});
}

FreshDatabase::~FreshDatabase() {
  try {
    pqxx::connection admin(database_url());
    pqxx::nontransaction(admin).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (...) {
  }
}

std::string FreshDatabase::scalar(const std::string& sql) {
  pqxx::connection c(url_);
  pqxx::nontransaction w(c);
  auto r = w.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].c_str();
}

HttpResponse http(int port, const std::string& method, const std::string& path,
                  const std::string& body, const std::map<std::string, std::string>& headers) {
  return http_from("", port, method, path, body, headers);
}

HttpResponse http_from(const std::string& source, int port, const std::string& method,
                       const std::string& path, const std::string& body,
                       const std::map<std::string, std::string>& headers) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (!source.empty()) {
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot send from " + source);
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
  std::ostringstream req;
  req << method << " " << path << " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers) req << k << ": " << v << "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    req << "Content-Length: " << body.size() << "\r\n";
  req << "\r\n" << body;
  std::string out = req.str();
  for (size_t sent = 0; sent < out.size();) {
    ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  // Read until the body is complete: servers may keep the connection open despite our
  // Connection: close. A receive timeout keeps a broken server from hanging the test.
  timeval timeout{30, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string raw;
  char buf[8192];
  for (ssize_t n; !response_complete(raw) && (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
    raw.append(buf, static_cast<size_t>(n));
  ::close(fd);
  HttpResponse response;
  auto header_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || header_end == std::string::npos)
    throw std::runtime_error("malformed HTTP response: " + raw.substr(0, 200));
  response.status = std::stoi(raw.substr(9, 3));
  std::istringstream lines(raw.substr(0, header_end));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    if (!value.empty() && value.back() == '\r') value.pop_back();
    response.headers[name] = value;
  }
  response.body = raw.substr(header_end + 4);
  if (response.headers["transfer-encoding"] == "chunked") {
    std::string decoded;
    size_t pos = 0;
    while (pos < response.body.size()) {
      size_t eol = response.body.find("\r\n", pos);
      size_t len = std::stoul(response.body.substr(pos, eol - pos), nullptr, 16);
      if (len == 0) break;
      decoded += response.body.substr(eol + 2, len);
      pos = eol + 2 + len + 2;
    }
    response.body = decoded;
  }
  return response;
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace testenv

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

namespace testenv {

Process::Process(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  if (posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), envp.data()) != 0)
    throw std::runtime_error("cannot start " + argv[0]);
}

Process::~Process() { stop(); }

bool Process::running() {
  if (pid_ <= 0) return false;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int Process::stop(int timeout_ms) {
  if (!running()) return status_;
  ::kill(pid_, SIGTERM);
  bool exited = eventually([this] { return !running(); }, timeout_ms);
  if (!exited) {
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    pid_ = -1;
    return -1;
  }
  return status_;
}

bool eventually(const std::function<bool()>& predicate, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool wait_until_serving(int port, int timeout_ms) {
  return eventually(
      [port] {
        try {
          return http(port, "GET", "/healthz").status == 200;
        } catch (const std::exception&) {
          return false;  // Not listening yet.
        }
      },
      timeout_ms);
}

std::string login(int port, const std::string& username, const std::string& password) {
  auto r = http(port, "POST", "/api/auth/login",
                nlohmann::json{{"username", username}, {"password", password}}.dump(),
                {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 200) << username << ": " << r.body;
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  return body.is_object() ? body.value("token", "") : "";
}

}  // namespace testenv
