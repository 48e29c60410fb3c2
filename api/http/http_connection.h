// One HTTP/1.1 connection on Pistache 0.0.5, made safe: every request is framed by
// http_framing.h before Pistache parses it, each gets exactly one answer in order, and the
// connection is closed after an answer when the client asked for it or when the next request's
// start is unknown (a refused head, a body not read). Only server.cc includes this (Pistache
// headers are heavy).
#pragma once

#include <pistache/http.h>
#include <pistache/router.h>

#include <memory>

#include "http/handlers.h"
#include "http/http_framing.h"

namespace api {

// Sends reply with our headers (JSON type, Date, security headers, ...). Ends the connection
// once it is written when the request asked to close or could not be framed.
void send_reply(Pistache::Http::ResponseWriter& response, const Reply& reply);

// The connection now belongs to someone else (the event feed hub): input on it is ignored.
void hand_over_connection(const std::shared_ptr<Pistache::Tcp::Peer>& peer);

// The answer to the request being served will be sent later, from another thread (a password
// check). Answers must keep the order of the requests, so the connection takes no further
// request and closes after that answer (RFC 9112 9.3.2: a client retries what stayed
// unanswered).
void answer_later(Pistache::Http::ResponseWriter& response);

struct ConnectionState;  // http_connection.cc

// Pistache's router behind a framer: replaces Pistache's reading of a connection's bytes.
class FramingRouterHandler : public Pistache::Rest::Private::RouterHandler {
 public:
  HTTP_PROTOTYPE(FramingRouterHandler)
  FramingRouterHandler(const Pistache::Rest::Router& routes, FramingLimits limits);

  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

 private:
  void onInput(const char* buffer, size_t length,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;
  void serve(RequestFrame frame, const std::shared_ptr<Pistache::Tcp::Peer>& peer,
             ConnectionState& state);
  void refuse(const std::shared_ptr<Pistache::Tcp::Peer>& peer, ConnectionState& state, int status,
              std::string_view message);

  FramingLimits limits_;
};

// Pistache parses Content-Type itself and would answer a malformed one with a plain-text 500;
// this makes it a 415 with our JSON body. Once per process, before serving.
void install_checked_headers();

}  // namespace api
