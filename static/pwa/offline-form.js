// A form that also works without a connection: with JavaScript and IndexedDB, a submitted form is
// saved on the device (AsnQueue) and sent to its JSON endpoint as soon as the connection allows
// (Background Sync where the browser has it, else the `online` event or the next page load). Without
// them the form posts as usual. The status section (data-queue-for="<form id>") lists the waiting
// entries, and after each send attempt carries data-queue-state="idle" and data-queue-pending /
// data-queue-refused counts (the browser tests wait on these).
//
// AsnOfflineForm.attach(form, {prepare, describe, fill}) -- prepare(form) may return a Promise of
// {fields, files} (the daily log resizes its photo there), describe(item) the line shown for an
// entry, fill(form, item) puts a refused entry back into the form for fixing.
(function () {
  "use strict";
  var attached = [];

  function text(section, name) {
    return section.getAttribute("data-text-" + name) || "";
  }

  function defaultPrepare(form) {
    var fields = [];
    var files = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "client_key") {
        return;
      }
      if (typeof value === "string") {
        fields.push([name, value]);
      } else if (value && value.size) {
        files.push({ name: name, blob: value, filename: value.name });
      }
    });
    return Promise.resolve({ fields: fields, files: files });
  }

  function defaultFill(form, item) {
    item.fields.forEach(function (pair) {
      var field = form.elements.namedItem(pair[0]);
      if (!field) {
        return;
      }
      if (field instanceof RadioNodeList) {
        Array.prototype.forEach.call(field, function (radio) {
          radio.checked = radio.value === pair[1];
        });
      } else if (field.type === "checkbox") {
        field.checked = true;
      } else if (field.type !== "file") {
        field.value = pair[1];
      }
    });
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm btn-outline-secondary ms-1";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function Controller(form, options) {
    this.form = form;
    this.kind = form.getAttribute("data-offline-queue");
    this.url = form.getAttribute("data-sync-url");
    this.section = document.querySelector('[data-queue-for="' + form.id + '"]');
    this.list = this.section && this.section.querySelector("[data-queue-list]");
    this.status = this.section && this.section.querySelector("[data-queue-status]");
    this.options = options || {};
    this.listPending = this.section && this.section.getAttribute("data-list-pending") !== "0";
    this.flushes = 0;
  }

  Controller.prototype.say = function (message) {
    if (this.status) {
      this.status.textContent = message;
    }
  };

  Controller.prototype.render = function () {
    var self = this;
    return AsnQueue.all(this.kind).then(function (items) {
      var pending = items.filter(function (i) {
        return i.state === "pending";
      });
      var refused = items.filter(function (i) {
        return i.state === "refused";
      });
      var section = self.section;
      if (!section) {
        return items;
      }
      section.setAttribute("data-queue-pending", String(pending.length));
      section.setAttribute("data-queue-refused", String(refused.length));
      section.hidden = items.length === 0 && !(self.status && self.status.textContent);
      var counter = section.querySelector("[data-queue-count]");
      if (counter) {
        counter.textContent = pending.length ? text(section, "pending") + ": " + pending.length : "";
      }
      if (!self.list) {
        return items;
      }
      self.list.textContent = "";
      items.forEach(function (item) {
        if (item.state === "pending" && !self.listPending) {
          return;
        }
        var li = document.createElement("li");
        li.className = "list-group-item";
        li.setAttribute("data-queue-item", item.state);
        var label = document.createElement("span");
        label.textContent = self.options.describe ? self.options.describe(item) : item.label || "";
        li.appendChild(label);
        var badge = document.createElement("span");
        badge.className = "badge ms-1 " + (item.state === "refused" ? "text-bg-danger" : "text-bg-warning");
        badge.textContent = text(section, item.state);
        li.appendChild(badge);
        if (item.state === "refused") {
          var reason = document.createElement("div");
          reason.className = "small text-danger";
          reason.setAttribute("data-queue-reason", "");
          reason.textContent = item.reason || "";
          li.appendChild(reason);
          if (self.options.fill !== false) {
            li.appendChild(
              button(text(section, "fix"), function () {
                (self.options.fill || defaultFill)(self.form, item);
                AsnQueue.remove(item.key).then(function () {
                  self.render();
                  self.form.scrollIntoView();
                });
              })
            );
          }
          li.appendChild(
            button(text(section, "dismiss"), function () {
              AsnQueue.remove(item.key).then(function () {
                self.render();
              });
            })
          );
        }
        self.list.appendChild(li);
      });
      return items;
    });
  };

  Controller.prototype.flush = function () {
    var self = this;
    if (this.section) {
      this.section.setAttribute("data-queue-state", "sending");
    }
    return AsnQueue.flush(this.kind)
      .then(function (summary) {
        if (summary.saved && !summary.later) {
          self.say(text(self.section, "sent"));
        }
        return summary;
      })
      .catch(function () {
        return { saved: 0, refused: 0, later: 0 };
      })
      .then(function (summary) {
        return self.render().then(function () {
          self.flushes += 1;
          if (self.section) {
            self.section.setAttribute("data-queue-flushes", String(self.flushes));
            self.section.setAttribute("data-queue-state", "idle");
          }
          return summary;
        });
      });
  };

  Controller.prototype.requestSync = function () {
    var self = this;
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) {
      return;
    }
    navigator.serviceWorker.ready
      .then(function (registration) {
        if (registration.sync) {
          return registration.sync.register("asn-offline-queue");
        }
        return null;
      })
      .catch(function () {
        // No Background Sync: the `online` event and the next page load send the queue.
        return self;
      });
  };

  Controller.prototype.submit = function (event) {
    var self = this;
    event.preventDefault();
    var prepare = this.options.prepare || defaultPrepare;
    var csrf = this.form.elements.namedItem("csrfmiddlewaretoken");
    prepare(this.form)
      .then(function (data) {
        var item = {
          key: AsnQueue.newKey(),
          kind: self.kind,
          url: self.url,
          fields: data.fields,
          files: data.files || [],
          label: data.label || "",
          csrf: csrf ? csrf.value : "",
          state: "pending",
          reason: "",
          created: Date.now(),
        };
        return AsnQueue.put(item);
      })
      .then(
        function () {
          self.form.reset();
          self.say(text(self.section, "queued"));
          if (self.options.afterQueue) {
            self.options.afterQueue(self.form);
          }
          self.requestSync();
          return navigator.onLine ? self.flush() : self.render();
        },
        function () {
          // The device could not keep it (storage full or blocked): post the form as usual.
          self.form.submit();
        }
      );
  };

  Controller.prototype.start = function () {
    var self = this;
    var csrf = this.form.elements.namedItem("csrfmiddlewaretoken");
    if (csrf && csrf.value) {
      AsnQueue.setMeta("csrf", csrf.value).catch(function () {});
    }
    this.form.addEventListener("submit", function (event) {
      self.submit(event);
    });
    window.addEventListener("online", function () {
      self.flush();
    });
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "queue-flushed") {
          self.render();
        }
      });
    }
    return navigator.onLine ? this.flush() : this.render().then(function () {
      self.section && self.section.setAttribute("data-queue-state", "idle");
    });
  };

  window.AsnOfflineForm = {
    attach: function (form, options) {
      if (!form || !window.indexedDB || !window.AsnQueue || !window.fetch || !window.Promise) {
        return null; // the plain form post stays
      }
      var controller = new Controller(form, options);
      attached.push(controller);
      controller.ready = controller.start();
      return controller;
    },
    // For the tests and the "send now" button: send every waiting entry of every form on the page.
    flushAll: function () {
      return Promise.all(
        attached.map(function (c) {
          return c.flush();
        })
      );
    },
  };
})();
