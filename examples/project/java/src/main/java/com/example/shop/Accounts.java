package com.example.shop;

import java.io.InputStream;
import java.io.ObjectInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;

/** Customer accounts of the sample shop. */
public class Accounts {
    private final Connection connection;

    public Accounts(Connection connection) {
        this.connection = connection;
    }

    /** Password "hashing" with MD5: fast and broken. */
    public byte[] passwordHash(String password) throws Exception {
        return MessageDigest.getInstance("MD5").digest(password.getBytes("UTF-8"));
    }

    public byte[] fileDigest(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    public ResultSet byEmail(String email) throws Exception {
        Statement st = connection.createStatement();
        return st.executeQuery("SELECT * FROM accounts WHERE email = '" + email + "'");
    }

    public Object restoreSession(InputStream in) throws Exception {
        ObjectInputStream ois = new ObjectInputStream(in);
        return ois.readObject();
    }

    public String resetCode() {
        Random random = new Random();
        return Integer.toString(100000 + random.nextInt(900000));
    }

    public String resetCodeSafely() {
        SecureRandom random = new SecureRandom();
        return Integer.toString(100000 + random.nextInt(900000));
    }
}
