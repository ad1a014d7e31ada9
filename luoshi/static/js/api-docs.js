// The interactive API docs (/api/v1/docs) with swagger-ui from Luoshi's own static files:
// settings come from the page's data attributes, so there is no inline script for the content
// security policy to refuse. A request tried from the page carries the CSRF token, since the
// browser's session authenticates it.
(function () {
  var root = document.getElementById("swagger-ui");
  function cookie(name) {
    var found = document.cookie.split("; ").find(function (c) { return c.indexOf(name + "=") === 0; });
    return found ? decodeURIComponent(found.split("=")[1]) : "";
  }
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    requestInterceptor: function (request) {
      var token = cookie(root.dataset.csrfCookie);
      if (token && request.method !== "GET") { request.headers["X-CSRFToken"] = token; }
      return request;
    },
  });
})();
