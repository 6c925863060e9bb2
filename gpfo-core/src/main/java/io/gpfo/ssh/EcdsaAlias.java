package io.gpfo.ssh;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;

/**
 * sshj asks for the key factory "ECDSA", BouncyCastle's name for what the JDK calls "EC". Instead
 * of registering all of BouncyCastle (about a second at the first SSH connection, which
 * {@code gpfo status} cannot afford), this tiny provider answers "ECDSA" with the JDK's own EC
 * key factory. Signatures (SHA256withECDSA, …) and ECDH are the JDK's already.
 */
final class EcdsaAlias extends Provider {

    private static final long serialVersionUID = 1L;

    private EcdsaAlias() {
        super("GpfoEcdsaAlias", "1.0", "KeyFactory.ECDSA backed by the JDK's EC key factory");
        putService(new Service(this, "KeyFactory", "ECDSA", EcKeyFactory.class.getName(), null, null) {
            @Override
            public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
                return new EcKeyFactory();
            }
        });
    }

    /** Adds the alias once, unless some provider already offers "ECDSA". */
    static synchronized void install() {
        try {
            KeyFactory.getInstance("ECDSA");
        } catch (NoSuchAlgorithmException missing) {
            Security.addProvider(new EcdsaAlias());
        }
    }

    /** Delegates every operation to the JDK's "EC" key factory. */
    static final class EcKeyFactory extends KeyFactorySpi {
        private final KeyFactory ec;

        EcKeyFactory() throws NoSuchAlgorithmException {
            this.ec = KeyFactory.getInstance("EC");
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePublic(spec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec spec) throws InvalidKeySpecException {
            return ec.generatePrivate(spec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> type) throws InvalidKeySpecException {
            return ec.getKeySpec(key, type);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return ec.translateKey(key);
        }
    }
}
