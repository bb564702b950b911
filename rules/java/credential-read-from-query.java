package com.example.web;

import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class ReportServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ruleid: keylint.java.credential-read-from-query
        String key = request.getParameter("api_key");
        // ok: keylint.java.credential-read-from-query
        String page = request.getParameter("page");
        // ok: keylint.java.credential-read-from-query
        String headerKey = request.getHeader("X-API-Key");
        response.getWriter().write(key + page + headerKey);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // ok: keylint.java.credential-read-from-query
        String token = request.getParameter("token");
        response.getWriter().write(token);
    }
}
